"""Produce and consume through both Kafka clients on the embedded broker."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from confluent_kafka import Consumer, Producer

from compose.stack import Stack
from connectors.kafka.topics import contract_topics

pytestmark = pytest.mark.integration


def test_every_contract_topic_exists_with_the_configured_partitions(stack: Stack) -> None:
    from confluent_kafka.admin import AdminClient

    metadata = AdminClient({"bootstrap.servers": stack.settings.kafka_bootstrap_servers})
    topics = metadata.list_topics(timeout=10).topics
    for topic in contract_topics():
        assert len(topics[topic].partitions) == stack.settings.topic_partitions


def test_aiokafka_consumes_what_it_produced_keyed_by_aggregate(stack: Stack) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    marker = uuid.uuid4().hex.encode()

    async def roundtrip() -> list[tuple[bytes, bytes]]:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
        await producer.start()
        try:
            for i in range(5):
                await producer.send_and_wait("dead-letter", key=b"agg-%d" % i, value=marker)
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(
            "dead-letter",
            bootstrap_servers=bootstrap,
            group_id=f"t-{marker.decode()}",
            auto_offset_reset="earliest",
            session_timeout_ms=6000,
            rebalance_timeout_ms=6000,
        )
        await consumer.start()
        seen: list[tuple[bytes, bytes]] = []
        try:
            async with asyncio.timeout(30):
                async for message in consumer:
                    if message.value == marker:
                        seen.append((message.key, message.value))
                    if len(seen) == 5:
                        break
        finally:
            await consumer.stop()
        return seen

    seen = asyncio.run(roundtrip())
    assert sorted(key for key, _ in seen) == [b"agg-%d" % i for i in range(5)]


def test_confluent_kafka_consumes_what_it_produced(stack: Stack) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    marker = uuid.uuid4().hex.encode()
    producer = Producer({"bootstrap.servers": bootstrap})
    for i in range(5):
        producer.produce("inventory.alerts", key=b"k%d" % i, value=marker)
    assert producer.flush(10) == 0
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"t-{marker.decode()}",
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 6000,
        }
    )
    consumer.subscribe(["inventory.alerts"])
    seen = 0
    deadline = time.monotonic() + 30
    try:
        while seen < 5 and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is not None and not message.error() and message.value() == marker:
                seen += 1
    finally:
        consumer.close()
    assert seen == 5
