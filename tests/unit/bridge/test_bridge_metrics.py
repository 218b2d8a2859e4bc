"""The bridge's metrics: records by outcome, dead letters by reason, lag, the lease held."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import boto3
from moto import mock_aws
from prometheus_client import REGISTRY

from connectors.bridge import InMemoryCheckpointStore, StreamReader
from connectors.bridge.lease import DynamoDBLease
from connectors.bridge.metrics import LAG
from connectors.bridge.service import bootstrap
from connectors.bridge_settings import BridgeSettings
from connectors.dynamodb.tables import CHECKPOINTS
from tests.unit.bridge.fakes import ARN, FakeShard, FakeStreams, RecordingPublisher, entry, record
from tests.unit.bridge.test_bridge_loop import FakeDynamoDB

NOW_S = 1_800_000_000.0


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def created_at(rec: dict[str, Any], seconds_ago: float) -> dict[str, Any]:
    stamp = dt.datetime.fromtimestamp(NOW_S - seconds_ago, dt.UTC)
    rec["dynamodb"]["ApproximateCreationDateTime"] = stamp
    return rec


def reader_on(streams: FakeStreams) -> StreamReader:
    reader = StreamReader(
        streams,
        ARN,
        RecordingPublisher(),
        InMemoryCheckpointStore(),
        bridge_id="b1",
        records_per_read=10,
        now_ms=lambda: int(NOW_S * 1000),
    )
    reader.discover()
    return reader


def test_published_and_dead_lettered_records_are_counted_with_the_reason() -> None:
    events = [record(entry("INV-M1", 1)), record(entry("INV-M1", 2))]
    unknown = record(entry("XYZ-M1", 1, kind="no-such-type"))
    streams = FakeStreams([FakeShard("shard-1", [*events, unknown])])
    published = sample("zaiko_bridge_records_total", outcome="published")
    dead = sample("zaiko_bridge_records_total", outcome="dead_lettered")
    letters = sample("zaiko_dead_letters_total", service="bridge", reason="UnknownAggregateType")

    reader_on(streams).poll()

    assert sample("zaiko_bridge_records_total", outcome="published") - published == 2
    assert sample("zaiko_bridge_records_total", outcome="dead_lettered") - dead == 1
    after = sample("zaiko_dead_letters_total", service="bridge", reason="UnknownAggregateType")
    assert after - letters == 1


def test_lag_is_the_age_of_the_newest_record_read_and_zero_once_caught_up() -> None:
    shard = FakeShard("shard-1", [created_at(record(entry("INV-M2", n)), 40 - n) for n in (1, 2)])
    reader = reader_on(FakeStreams([shard]))

    reader.poll()
    assert sample("zaiko_bridge_lag_seconds") == 38.0  # the newest record, 38 s old

    reader.poll()  # nothing more to read
    assert sample("zaiko_bridge_lag_seconds") == 0.0


def test_the_lease_gauge_is_one_while_the_bridge_runs_and_zero_after_it_stops() -> None:
    settings = BridgeSettings(bridge_id="b1", poll_interval_s=0.01)
    bridge = bootstrap(
        settings,
        dynamodb=FakeDynamoDB(),
        streams=FakeStreams([]),
        publisher=RecordingPublisher(),
        checkpoints=InMemoryCheckpointStore(),
    )
    stop = threading.Event()
    thread = threading.Thread(target=bridge.run, args=(stop,))
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while sample("zaiko_bridge_lease_held") != 1.0 and time.monotonic() < deadline:
            stop.wait(0.01)
        assert sample("zaiko_bridge_lease_held") == 1.0
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert sample("zaiko_bridge_lease_held") == 0.0


def test_a_standing_by_bridge_shows_neither_the_lease_nor_a_lag() -> None:
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="ap-northeast-1")
        dynamodb.create_table(**CHECKPOINTS.create_kwargs("t-"))
        table = CHECKPOINTS.name("t-")
        assert DynamoDBLease(dynamodb, table, "b1", "other", 10.0).try_acquire()
        standby = DynamoDBLease(dynamodb, table, "b1", "me", 10.0)
        settings = BridgeSettings(bridge_id="b1", poll_interval_s=0.01, lease_retry_s=0.01)
        bridge = bootstrap(settings, dynamodb=FakeDynamoDB(), streams=FakeStreams([]),
                           publisher=RecordingPublisher(), checkpoints=InMemoryCheckpointStore(),
                           lease=standby)  # fmt: skip
        LAG.set(42.0)  # what it showed while it held the lease
        stop = threading.Event()
        thread = threading.Thread(target=bridge.run, args=(stop,))
        thread.start()
        try:
            deadline = time.monotonic() + 5
            while sample("zaiko_bridge_lag_seconds") != 0.0 and time.monotonic() < deadline:
                stop.wait(0.01)
            assert sample("zaiko_bridge_lag_seconds") == 0.0
            assert sample("zaiko_bridge_lease_held") == 0.0
        finally:
            stop.set()
            thread.join(timeout=5)
        assert not thread.is_alive()
