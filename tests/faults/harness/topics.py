"""Count what the bridges published on the event topics for given aggregates."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Collection
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from schemas import decode_event, event_topic_for

AGGREGATE_TYPES = ("product", "customer", "warehouse", "warehouse-zone", "inventory")


def published(
    bootstrap: str, aggregates: Collection[str], expected: int, timeout_s: float,
    quiet_s: float = 3.0,
) -> Counter[tuple[str, int]]:  # fmt: skip
    """Return how often each (aggregate, seq nr) of ``aggregates`` is on the event topics.

    Reads every event topic from the beginning until ``expected`` distinct events were
    seen and nothing more came for ``quiet_s`` (a late duplicate still counts), or until
    the deadline.
    """
    wanted = {a.encode() for a in aggregates}
    consumer = Consumer({"bootstrap.servers": bootstrap, "enable.auto.commit": False,
                         "group.id": f"zaiko-faults-{uuid.uuid4().hex[:8]}"})  # fmt: skip
    seen: Counter[tuple[str, int]] = Counter()
    try:
        topics = [event_topic_for(t) for t in AGGREGATE_TYPES]
        meta = consumer.list_topics(timeout=10)
        consumer.assign([TopicPartition(t, p, OFFSET_BEGINNING)
                         for t in topics for p in meta.topics[t].partitions])  # fmt: skip
        deadline = time.monotonic() + timeout_s
        last_news = time.monotonic()
        while time.monotonic() < deadline:
            for message in consumer.consume(1000, timeout=0.2):
                if message.error() is None and message.key() in wanted:
                    meta_ = decode_event(message.value()).meta
                    seen[(meta_.aggregate_id, meta_.sequence_nr)] += 1
                    last_news = time.monotonic()
            if len(seen) >= expected and time.monotonic() - last_news >= quiet_s:
                break
    finally:
        consumer.close()
    return seen


def keyed_records(bootstrap: str, topic: str, key: str, timeout_s: float) -> list[Any]:
    """Return the records of ``topic`` keyed ``key``, reading until one came (or the deadline)
    and then until nothing more came for a second."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "enable.auto.commit": False,
                         "group.id": f"zaiko-faults-{uuid.uuid4().hex[:8]}"})  # fmt: skip
    found: list[Any] = []
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        deadline, last_news = time.monotonic() + timeout_s, time.monotonic()
        while time.monotonic() < deadline and not (found and time.monotonic() - last_news > 1):
            for message in consumer.consume(500, timeout=0.2):
                if message.error() is None and message.key() == key.encode():
                    found.append(message)
                    last_news = time.monotonic()
    finally:
        consumer.close()
    return found
