"""A worker under a small flood serves metrics that moved, on its real /metrics endpoint."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from compose.stack import Stack
from domain import CreateInventory, IssueStock, ReceiveStock, ReserveStock
from domain.message import Command
from schemas import command_topic_for
from schemas.topics import AGGREGATE_TYPES
from tests.integration.streams.kafka_io import (
    TopicReader,
    collect_outcomes,
    send_commands,
    send_raw,
)
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.streams.builders import (
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    unique_number,
    unique_warehouse,
)

pytestmark = pytest.mark.integration
TIMEOUT_S = 60
Samples = dict[str, list[tuple[dict[str, str], float]]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def metered_worker(stack: Stack, run_dir: Path) -> Iterator[tuple[WorkerProcess, int]]:
    port = free_port()
    env = {"ZAIKO_METRICS_PORT": str(port)}
    with WorkerProcess(stack.settings, run_dir, extra_env=env) as process:
        yield process, port


def scrape(port: int) -> Samples:
    """Return every sample the worker serves, by sample name."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    samples: Samples = defaultdict(list)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[sample.name].append((sample.labels, sample.value))
    return samples


def total(samples: Samples, name: str, **labels: str) -> float:
    return sum(v for found, v in samples.get(name, []) if labels.items() <= found.items())


def wait_for(port: int, done: Callable[[Samples], bool], timeout_s: float = TIMEOUT_S) -> Samples:
    deadline = time.monotonic() + timeout_s
    while True:
        samples = scrape(port)
        if done(samples) or time.monotonic() > deadline:
            return samples
        time.sleep(0.5)


def answer(bootstrap: str, results: TopicReader, commands: list[Command]) -> list[str]:
    """Send ``commands`` and return their outcomes' statuses, in order."""
    envelopes = [envelope(c) for c in commands]
    send_commands(bootstrap, envelopes)
    found = collect_outcomes(results, {e.meta.command_id for e in envelopes}, TIMEOUT_S)
    assert all(found.values()), "some commands got no outcome"
    return [found[e.meta.command_id][0].status for e in envelopes]


def test_a_flood_moves_the_workers_metrics(
    metered_worker: tuple[WorkerProcess, int], bootstrap: str, results: TopicReader
) -> None:
    worker, port = metered_worker
    n, w = unique_number(), unique_warehouse()
    product, zone, inventory = f"PRD-{n}", f"{w}-01", f"PRD-{n}@{w}-01"
    statuses = answer(bootstrap, results, [
        create_product(product), create_warehouse(w), create_zone(zone),
    ])  # fmt: skip
    statuses += answer(
        bootstrap, results, [CreateInventory(inventory), ReceiveStock(inventory, 100)]
    )
    flood: list[Command] = [ReceiveStock(inventory, 5) for _ in range(10)]
    flood += [ReserveStock(inventory, f"R-{i}", 10) for i in range(12)]  # 120 of 150 on hand
    flood += [ReserveStock(inventory, "R-big", 1000)]  # refused
    flood += [IssueStock(inventory, 10_000) for _ in range(5)]  # refused
    flood += [IssueStock(inventory, 1) for _ in range(3)]
    statuses += answer(bootstrap, results, flood)
    send_raw(bootstrap, command_topic_for("product"), b"PRD-000000", b"not avro")
    accepted, rejected = statuses.count("ACCEPTED"), statuses.count("REJECTED")
    assert (accepted, rejected) == (len(statuses) - 6, 6)

    group = worker.app_id
    command_topics = {command_topic_for(a) for a in AGGREGATE_TYPES}

    def settled(s: Samples) -> bool:
        lag_topics = {labels["topic"] for labels, _ in s.get("zaiko_kafka_consumer_lag", [])
                      if labels["group"] == group}  # fmt: skip
        # the lag gauges are sampled every 5 s: wait for a sample taken after the flood
        # (commands_total moves at once, so it alone may still show a pre-flood sample)
        position = total(s, "zaiko_kafka_consumer_position", group=group,
                         topic=command_topic_for("inventory"))  # fmt: skip
        return (command_topics <= lag_topics
                and total(s, "zaiko_commands_total", status="DEAD_LETTERED") >= 1
                and position >= len(flood) + 2
                and total(s, "zaiko_kafka_consumer_lag", group=group) == 0)  # fmt: skip

    samples = wait_for(port, settled)
    assert settled(samples), worker.log_tail()
    # every command this worker answered (its fresh group also re-answers older ones)
    answered = total(samples, "zaiko_commands_total", status="ACCEPTED") + total(
        samples, "zaiko_commands_total", status="REJECTED"
    )
    assert total(samples, "zaiko_commands_total", status="ACCEPTED") >= accepted
    assert total(samples, "zaiko_commands_total", aggregate_type="inventory",
                 command_type="IssueStock", status="REJECTED",
                 code="INSUFFICIENT_STOCK") >= 5  # fmt: skip
    assert total(samples, "zaiko_command_outcome_seconds_count") == answered
    assert total(samples, "zaiko_command_decide_seconds_count", aggregate_type="inventory") >= 31
    assert total(samples, "zaiko_command_append_seconds_count", aggregate_type="inventory") >= 1
    assert total(samples, "zaiko_dynamodb_requests_total", outcome="ok") > 0
    assert total(samples, "zaiko_dynamodb_request_seconds_count") > 0
    assert total(samples, "zaiko_dead_letters_total", service="worker") >= 1
    # this warehouse is this test's alone: its business figures are exact
    assert total(samples, "zaiko_stock_movements_total", kind="入庫", warehouse=w) == 11
    assert total(samples, "zaiko_stock_moved_units_total", kind="入庫", warehouse=w) == 150
    assert total(samples, "zaiko_stock_moved_units_total", kind="出庫", warehouse=w) == 3
    ambient = {"warehouse": w, "zone_type": "常温", "storage_condition": "常温"}
    assert total(samples, "zaiko_reservations_total", **ambient, outcome="success") == 12
    assert total(samples, "zaiko_reservations_total", **ambient, outcome="failure") == 1
    for topic in command_topics:
        assert total(samples, "zaiko_kafka_consumer_highwater", group=group, topic=topic) >= 0
    assert total(samples, "zaiko_kafka_consumer_position", group=group,
                 topic=command_topic_for("inventory")) >= len(flood) + 2  # fmt: skip
