"""The stream bridge on the embedded stack: moto's DynamoDB Stream -> Tansu topics.

Each test gets its own journal (a fresh table prefix on the shared moto), so its
bridge reads only its own stream, and unique aggregate ids on the shared topics.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from connectors.bridge.checkpoints import read_checkpoint
from connectors.bridge.service import bootstrap
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import CHECKPOINTS
from connectors.eventstore.wiring import build_stores
from connectors.settings import ZaikoSettings
from tests.integration.bridge.helpers import (
    EventWatcher,
    append_history,
    bridge_settings,
    first_occurrences,
    start_bridge,
    stop_process,
)

pytestmark = pytest.mark.integration
STARTED = '"msg": "bridge started"'


def aggregate(watcher: EventWatcher, n: int) -> str:
    return f"{watcher.key_prefix}Z{n:02d}"


def test_every_event_reaches_its_topic_in_order_per_aggregate(
    settings: ZaikoSettings, prefix: str, watcher: EventWatcher
) -> None:
    store = build_stores(dynamodb_client(settings), prefix).events
    before = {
        aggregate(watcher, n): append_history(store, aggregate(watcher, n), 4) for n in range(10)
    }
    config = bridge_settings(settings, prefix, records_per_read=25)
    bridge, stop = bootstrap(config), threading.Event()
    thread = threading.Thread(target=bridge.run, args=(stop,), daemon=True)
    thread.start()
    try:
        after = {
            aggregate(watcher, n): append_history(store, aggregate(watcher, n), 3)
            for n in range(10, 20)
        }
        expected = before | after
        watcher.wait_for(lambda: watcher.has_all(expected), 30, "every event on the topic")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()

    for agg, last in expected.items():
        assert watcher.seqs[agg] == list(range(1, last + 1)), agg
    headers = watcher.headers[aggregate(watcher, 0)]
    assert headers["zaiko-event-type"] == headers["zaiko-message-type"] == b"StockReceived_V1"
    assert headers["zaiko-aggregate-type"] == b"inventory"
    assert {"zaiko-event-id", "zaiko-command-id", "zaiko-correlation-id"} <= set(headers)

    assert bridge.reader is not None
    shard = next(iter(bridge.reader._shards))
    saved = read_checkpoint(dynamodb_client(settings), CHECKPOINTS.name(prefix),
                            f"{config.bridge_id}#{bridge.reader.stream_arn}#{shard}")  # fmt: skip
    assert saved is not None and saved.sequence_number and not saved.closed


def test_republish_refills_the_topic_from_the_journal(
    settings: ZaikoSettings, prefix: str, watcher: EventWatcher, tmp_path: Path
) -> None:
    store = build_stores(dynamodb_client(settings), prefix).events
    expected = {
        aggregate(watcher, n): append_history(store, aggregate(watcher, n), 5) for n in range(8)
    }

    proc = start_bridge(
        bridge_settings(settings, prefix), tmp_path / "republish.log", "--republish"
    )
    try:
        assert proc.wait(timeout=60) == 0, (tmp_path / "republish.log").read_text()
    finally:
        stop_process(proc)

    watcher.wait_for(lambda: watcher.has_all(expected), 20, "the republished events")
    for agg, last in expected.items():
        assert watcher.seqs[agg] == list(range(1, last + 1)), agg
    assert "re-published" in (tmp_path / "republish.log").read_text()


def test_a_bridge_killed_three_times_mid_stream_loses_nothing_and_keeps_order(
    settings: ZaikoSettings, prefix: str, watcher: EventWatcher, tmp_path: Path
) -> None:
    store = build_stores(dynamodb_client(settings), prefix).events
    config = bridge_settings(settings, prefix, records_per_read=10)
    log = tmp_path / "bridge.log"
    expected: dict[str, int] = {}
    abort, done = threading.Event(), threading.Event()

    def append_all() -> None:
        try:
            for n in range(30):  # 30 aggregates x 10 entries = 300 entries, ~450 events
                if abort.is_set():
                    return
                agg = aggregate(watcher, n)
                expected[agg] = append_history(store, agg, 10)
                abort.wait(0.15)  # pace the load so the kills land while it is written
        finally:
            done.set()

    appender = threading.Thread(target=append_all, daemon=True)
    proc = start_bridge(config, log)
    try:
        appender.start()
        for _ in range(3):
            floor = watcher.count() + 40
            watcher.wait_for(
                lambda f=floor: watcher.count() >= f, 30, "the bridge to make progress"
            )
            proc.kill()
            proc.wait(timeout=10)
            starts = log.read_text().count(STARTED)
            proc = start_bridge(config, log)
        appender.join(timeout=60)
        assert done.is_set() and len(expected) == 30
        watcher.wait_for(lambda: watcher.has_all(expected), 40, "every event after the crashes")
        # the earlier bridges may have published everything already (and a bridge may
        # be killed before it got going): let the last one get past its SIGTERM handler
        watcher.wait_for(lambda: log.read_text().count(STARTED) > starts, 30,
                         "the last bridge to start")  # fmt: skip
    finally:
        rc = stop_process(proc)
        abort.set()
    assert rc == 0, "SIGTERM must stop the bridge cleanly"

    for agg, last in expected.items():
        assert first_occurrences(watcher.seqs[agg]) == list(range(1, last + 1)), agg
    # Restarts resume from the checkpoints: at most one unacknowledged batch
    # (10 records of at most 2 events) is published again per kill.
    assert watcher.count() <= sum(expected.values()) + 3 * 10 * 2
    assert '"msg": "bridge stopped"' in log.read_text()
