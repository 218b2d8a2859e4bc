"""The projector's /metrics shows its group's lag per partition, in step with the broker."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Consumer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from compose.stack import Stack
from schemas import event_topic_for
from schemas.topics import AGGREGATE_TYPES
from tests.integration.projector.helpers import ProjectorProcess, produce_events
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration
TIMEOUT_S = 60
Partition = tuple[str, int]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def metered_projector(stack: Stack, tmp_path: Path) -> Iterator[tuple[ProjectorProcess, int]]:
    port = free_port()
    process = ProjectorProcess(stack.settings, tmp_path)
    process.env["ZAIKO_METRICS_PORT"] = str(port)
    try:
        yield process.start(), port
    finally:
        process.stop()


def lag_gauges(port: int, group: str) -> dict[str, dict[Partition, float]]:
    """Return highwater, position and lag by (topic, partition) for ``group``."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    found: dict[str, dict[Partition, float]] = {"highwater": {}, "position": {}, "lag": {}}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            name = sample.name.removeprefix("zaiko_kafka_consumer_")
            if name in found and sample.labels.get("group") == group:
                tp = (sample.labels["topic"], int(sample.labels["partition"]))
                found[name][tp] = sample.value
    return found


def committed(bootstrap: str, group: str, partitions: list[Partition]) -> dict[Partition, int]:
    """Return what the broker holds as ``group``'s committed offsets."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group,
                         "enable.auto.commit": False})  # fmt: skip
    try:
        tps = [TopicPartition(topic, partition) for topic, partition in partitions]
        return {(tp.topic, tp.partition): tp.offset for tp in consumer.committed(tps, timeout=10)}
    finally:
        consumer.close()


def test_projector_lag_per_partition_follows_the_groups_commits(
    metered_projector: tuple[ProjectorProcess, int], stack: Stack
) -> None:
    projector, port = metered_projector
    bootstrap, group = stack.settings.kafka_bootstrap_servers, projector.projector_id
    last = produce_events(bootstrap, Scenario.fresh().full_story())
    event_topics = {event_topic_for(a) for a in AGGREGATE_TYPES}
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        gauges = lag_gauges(port, group)
        topics = {topic for topic, _ in gauges["lag"]}
        caught_up = all(gauges["position"].get(tp, -1) > offset for tp, offset in last.items())
        if (event_topics <= topics and caught_up and not any(gauges["lag"].values())) or (
            time.monotonic() > deadline
        ):
            break
        time.sleep(0.5)
    assert event_topics <= topics, (topics, projector.log_tail())
    assert caught_up, (gauges["position"], last)
    assert not any(gauges["lag"].values()), gauges["lag"]
    for tp, offset in last.items():
        assert gauges["highwater"][tp] > offset  # the broker's Fetch saw every event produced
    # the gauge is the group's commit as of its last sample (other tests may produce since)
    broker = committed(bootstrap, group, list(last))
    assert all(last[tp] < gauges["position"][tp] <= broker[tp] for tp in last), (gauges, broker)
