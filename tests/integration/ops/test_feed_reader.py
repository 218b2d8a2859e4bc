"""The page's feed reader starts near each partition's end, found from its first Fetch."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

import pytest
from confluent_kafka import Producer

from compose.stack import Stack
from query_gateway.ops.feed import FeedReader, alert_item
from schemas import LowStockAlert, encode

pytestmark = pytest.mark.integration


def create_topic(bootstrap: str, partitions: int) -> str:
    """Create a fresh topic of its own (the contract topic is shared with other tests)."""
    from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

    topic = f"ops-feed-{uuid.uuid4().hex[:8]}.alerts"
    admin: Any = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics(
        [NewTopic(topic, num_partitions=partitions, replication_factor=1)]
    )
    for future in futures.values():
        future.result(timeout=30)
    return topic


def alert(n: int) -> bytes:
    return encode(LowStockAlert(alert_id=f"A-{n}", product_id="PRD-000001", warehouse_id="TKY",
                                zone_id="TKY-01", available=n, threshold=10,
                                occurred_at=dt.datetime.now(dt.UTC)))  # fmt: skip


def test_the_reader_delivers_only_the_last_records_of_each_partition_then_new_ones(
    stack: Stack,
) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    topic = create_topic(bootstrap, 2)
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5})
    for n in range(300):  # partition 0: far more than the reader keeps
        producer.produce(topic, alert(n), partition=0)
    for n in range(1000, 1003):  # partition 1: fewer
        producer.produce(topic, alert(n), partition=1)
    assert producer.flush(30) == 0
    delivered: list[str] = []
    reader = FeedReader(bootstrap, lambda item: delivered.append(item["id"]), size=10,
                        decoders={topic: alert_item})  # fmt: skip
    reader.start()
    try:
        expected = {f"A-{n}" for n in [*range(290, 300), *range(1000, 1003)]}
        deadline = time.monotonic() + 60
        while set(delivered) != expected and time.monotonic() < deadline:
            time.sleep(0.1)  # polling the condition, with a deadline
        assert set(delivered) == expected and len(delivered) == 13, sorted(delivered)
        producer.produce(topic, alert(5000), partition=1)
        assert producer.flush(30) == 0
        deadline = time.monotonic() + 30
        while "A-5000" not in delivered and time.monotonic() < deadline:
            time.sleep(0.1)
        assert delivered[-1] == "A-5000" and len(delivered) == 14
    finally:
        reader.stop()
        reader.join(15)
    assert not reader.is_alive()
