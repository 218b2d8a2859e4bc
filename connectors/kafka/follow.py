"""Read topics from their beginning with a plain consumer: assigned, no group joined.

The embedded broker's ListOffsets is not trustworthy, so readers start at the first
offset and decide for themselves what to skip (by timestamp, or by high watermark).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from schemas import CodecError

T = TypeVar("T")


class TopicNotReadyError(RuntimeError):
    """The broker lists the topic with an error or without partitions (not created yet)."""


def unjoined_consumer(bootstrap_servers: str, name: str, **config: Any) -> Any:
    """Return a consumer whose random group ``name-xxxxxxxx`` is never joined nor committed."""
    from confluent_kafka import Consumer

    return Consumer({
        "bootstrap.servers": bootstrap_servers,
        "group.id": f"{name}-{uuid.uuid4().hex[:8]}",
        "enable.auto.commit": False,
        **config,
    })  # fmt: skip


def from_beginning(consumer: Any, topic: str, *, ready_only: bool = False) -> list[Any]:
    """Return every partition of ``topic`` at its first offset (``ready_only``: or raise)."""
    from confluent_kafka import OFFSET_BEGINNING, TopicPartition

    meta = consumer.list_topics(topic, timeout=10).topics[topic]
    if ready_only and (meta.error is not None or not meta.partitions):
        raise TopicNotReadyError(f"{topic}: {meta.error or 'no partitions'}")
    return [TopicPartition(topic, p, OFFSET_BEGINNING) for p in meta.partitions]


def follow_topic(
    bootstrap_servers: str,
    topic: str,
    decode: Callable[[bytes], T],
    keep: Callable[[int, T], bool],
    stop: Callable[[], bool],
    *,
    name: str,
    poll_s: float = 0.5,
) -> Iterator[T | str]:
    """Yield records ``keep(timestamp_ms, record)`` accepts, or a warning text, until ``stop``."""
    consumer = unjoined_consumer(bootstrap_servers, name)
    try:
        consumer.assign(from_beginning(consumer, topic))
        while not stop():
            for message in consumer.consume(100, timeout=poll_s):
                if message.error() is not None:
                    continue
                try:
                    record = decode(message.value() or b"")
                except CodecError as e:
                    yield f"undecodable record at partition {message.partition()}: {e}"
                    continue
                if keep(message.timestamp()[1], record):
                    yield record
    finally:
        consumer.close()
