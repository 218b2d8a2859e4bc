"""Produce commands and collect outcomes / dead letters with confluent-kafka."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

from domain import aggregate_id_of, aggregate_type_of
from schemas import CommandEnvelope, CommandOutcome, command_topic_for, decode_outcome, encode


def producer(bootstrap: str) -> Any:
    return Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "acks": "all"})


def send_commands(bootstrap: str, envelopes: Iterable[CommandEnvelope[Any]]) -> None:
    """Produce encoded commands, keyed by aggregate id, and wait for every ack."""
    out = producer(bootstrap)
    for sent in envelopes:
        topic = command_topic_for(aggregate_type_of(sent.command))
        out.produce(topic, key=aggregate_id_of(sent.command).encode(), value=encode(sent))
        out.poll(0)
    assert out.flush(30) == 0, "commands not acknowledged"


def send_raw(bootstrap: str, topic: str, key: bytes | None, value: bytes) -> None:
    out = producer(bootstrap)
    out.produce(topic, key=key, value=value)
    assert out.flush(30) == 0


class TopicReader:
    """Read every partition of a topic from the beginning, without a group (joins are slow)."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap,
            "group.id": f"test-reader-{uuid.uuid4()}",
            "enable.auto.commit": False,
        })  # fmt: skip
        partitions = self.consumer.list_topics(topic, timeout=10).topics[topic].partitions
        self.consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])

    def read_until(
        self, keep: Callable[[Any], bool], done: Callable[[list[Any]], bool], timeout_s: float
    ) -> list[Any]:
        """Poll until ``done(kept)`` holds or the deadline passes; return the kept messages."""
        kept: list[Any] = []
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not done(kept):
            for message in self.consumer.consume(500, timeout=0.5):
                if message.error() is None and keep(message):
                    kept.append(message)
        return kept

    def close(self) -> None:
        self.consumer.close()


def collect_outcomes(
    reader: TopicReader, command_ids: set[str], timeout_s: float, copies: int = 1
) -> dict[str, list[CommandOutcome]]:
    """Return the outcomes of ``command_ids``, waiting until each has ``copies`` of them."""
    found: dict[str, list[CommandOutcome]] = {c: [] for c in command_ids}

    def keep(message: Any) -> bool:
        key = (message.key() or b"").decode()
        if key not in found:
            return False
        found[key].append(decode_outcome(message.value()))
        return True

    reader.read_until(keep, lambda _: all(len(v) >= copies for v in found.values()), timeout_s)
    return found
