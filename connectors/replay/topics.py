"""Read every partition of the event topics from the beginning up to its fetch high watermark.

confluent-kafka is used because librdkafka exposes exactly what the Fetch responses said:
``get_watermark_offsets(cached=True)`` returns the high watermark of the last fetched
message set (no ListOffsets request), and ``enable.partition.eof`` reports when a fetch
reached it. A throwaway group id and manual assignment: nothing is committed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from connectors.replay.watermarks import PartitionEnds
from schemas import EventEnvelope, decode_event
from schemas.topics import AGGREGATE_TYPES, event_topic_for

Batch = list[EventEnvelope[Any]]


class TopicReadError(Exception):
    """A topic is missing, a fetch failed, or the broker stopped answering."""


def contract_event_topics() -> dict[str, str]:
    """Return aggregate type -> its event topic of the public contract."""
    return {aggregate: event_topic_for(aggregate) for aggregate in AGGREGATE_TYPES}


def _consumer(bootstrap_servers: str) -> Any:
    from confluent_kafka import Consumer

    return Consumer({
        "bootstrap.servers": bootstrap_servers,
        "group.id": f"zaiko-replay-{uuid.uuid4().hex[:12]}",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "auto.offset.reset": "earliest",
        "fetch.max.bytes": 16 * 1024 * 1024,
        "max.partition.fetch.bytes": 4 * 1024 * 1024,
    })  # fmt: skip


def _assign(consumer: Any, topics: list[str], timeout_s: float) -> PartitionEnds:
    from confluent_kafka import OFFSET_BEGINNING, TopicPartition

    assigned = []
    for topic in topics:
        meta = consumer.list_topics(topic, timeout=timeout_s).topics.get(topic)
        if meta is None or meta.error is not None or not meta.partitions:
            raise TopicReadError(f"topic {topic} is missing ({meta.error if meta else 'absent'})")
        assigned += [TopicPartition(topic, p, OFFSET_BEGINNING) for p in sorted(meta.partitions)]
    consumer.assign(assigned)
    return PartitionEnds({(tp.topic, tp.partition) for tp in assigned})


def read_batches(
    bootstrap_servers: str,
    topics: Mapping[str, str] | None = None,
    batch_events: int = 20_000,
    idle_timeout_s: float = 30.0,
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[Batch]:
    """Yield decoded events in batches until every partition reached its high watermark.

    Order is kept per partition (so per aggregate); batches mix aggregate types, which
    the projector accepts. ``on_progress(read, known_total)`` follows the read.
    """
    from confluent_kafka import KafkaError, TopicPartition

    names = list((topics or contract_event_topics()).values())
    consumer = _consumer(bootstrap_servers)
    try:
        ends = _assign(consumer, names, idle_timeout_s)
        read, last_news = 0, time.monotonic()
        batch: Batch = []
        while not ends.finished:
            got = 0
            for message in consumer.consume(num_messages=batch_events - len(batch), timeout=0.5):
                partition = (message.topic(), message.partition())
                error = message.error()
                if error is not None:
                    if error.code() != KafkaError._PARTITION_EOF:
                        raise TopicReadError(f"{partition}: {error}")
                    ends.reached(partition, message.offset())
                    continue
                if partition not in ends.ends:
                    _, high = consumer.get_watermark_offsets(
                        TopicPartition(*partition), cached=True
                    )
                    if high >= 0:
                        ends.observe_end(partition, high)
                if ends.wanted(partition, message.offset()):
                    ends.consumed(partition, message.offset())
                    batch.append(decode_event(message.value()))
                    got += 1
            if got:
                last_news = time.monotonic()
            elif time.monotonic() - last_news > idle_timeout_s:
                waiting = sorted(p for p in ends.assigned if not ends.done(p))
                raise TopicReadError(f"no progress for {idle_timeout_s}s; waiting on {waiting}")
            # full batches make few, large transactions; a quiet poll flushes what there is
            if batch and (len(batch) >= batch_events or not got or ends.finished):
                read += len(batch)
                yield batch
                batch = []
            if on_progress is not None:
                on_progress(read, max(read, ends.known_total))
    finally:
        consumer.close()
