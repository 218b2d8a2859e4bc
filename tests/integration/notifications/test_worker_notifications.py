"""The worker's notifications end to end: commands in, inventory.notifications out.

One worker subprocess with tiny thresholds (evaluated every 0.2 s, 3 s of silence
within all-day business hours, a 2 s command->outcome delay) and its own Redis keys.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from compose.stack import Stack
from domain import CreateInventory, ReceiveStock, ReserveStock, UpdateWarehouse
from domain.message import Command
from schemas import COMMAND_RESULTS_TOPIC, CommandOutcome
from tests.integration.notifications.reading import Notifications, distinct
from tests.integration.streams.kafka_io import TopicReader, collect_outcomes, send_commands
from tests.integration.streams.worker_process import REPO, WorkerProcess
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
SILENCE_S = 3.0
DELAY_S = 2.0


ENV = {
    "ZAIKO_NOTIFY_INTERVAL_S": "0.2",
    "ZAIKO_SITE_SILENCE_S": str(SILENCE_S),
    "ZAIKO_SITE_BUSINESS_HOURS": "00:00-24:00",
    "ZAIKO_SITE_BUSINESS_DAYS": "[0, 1, 2, 3, 4, 5, 6]",
    "ZAIKO_COMMAND_DELAY_THRESHOLD_S": str(DELAY_S),
    "ZAIKO_COMMAND_DELAY_WINDOW_S": "0",
}


@pytest.fixture(scope="module")
def worker(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    with WorkerProcess(stack.settings, tmp_path_factory.mktemp("notify"), extra_env=ENV) as process:
        yield process


@pytest.fixture
def bootstrap(stack: Stack) -> str:
    return stack.settings.kafka_bootstrap_servers


@pytest.fixture
def notifications(bootstrap: str) -> Iterator[Notifications]:
    reader = Notifications(bootstrap)
    try:
        yield reader
    finally:
        reader.close()


def round_trip(bootstrap: str, commands: list[Command]) -> list[CommandOutcome]:
    envelopes = [envelope(c) for c in commands]
    results = TopicReader(bootstrap, COMMAND_RESULTS_TOPIC)
    try:
        send_commands(bootstrap, envelopes)
        found = collect_outcomes(results, {e.meta.command_id for e in envelopes}, TIMEOUT_S)
    finally:
        results.close()
    assert all(found.values()), "a command got no outcome"
    return [found[e.meta.command_id][0] for e in envelopes]


def an_inventory(bootstrap: str) -> tuple[str, str]:
    """Create a product, warehouse, zone and inventory; return (warehouse, inventory)."""
    n, w = unique_number(), unique_warehouse()
    inv = f"PRD-{n}@{w}-01"
    # the masters first: commands on other topics are decided in no particular order (a
    # new worker group may still be catching up on one topic's history), as `zaiko load`'s
    # phases know
    masters = round_trip(bootstrap, [create_product(f"PRD-{n}"), create_warehouse(w),
                                     create_zone(f"{w}-01")])  # fmt: skip
    outcomes = [*masters, *round_trip(bootstrap, [CreateInventory(inv)])]
    assert {o.status for o in outcomes} == {"ACCEPTED"}
    return w, inv


def test_a_refused_reservation_raises_allocation_failed_once_and_the_next_one_clears_it(
    worker: WorkerProcess, bootstrap: str, notifications: Notifications
) -> None:
    _, inv = an_inventory(bootstrap)
    refused = round_trip(bootstrap, [ReceiveStock(inv, 5), ReserveStock(inv, "R-1", 10),
                                     ReserveStock(inv, "R-2", 9)])  # fmt: skip
    shortage = "RESERVATION_EXCEEDS_ON_HAND"
    assert [o.error_code for o in refused] == [None, shortage, shortage]
    [raised] = notifications.wait_for(inv, ["RAISED"], TIMEOUT_S, "ALLOCATION_FAILED")
    assert (raised.code, raised.severity.value) == ("RESERVATION_EXCEEDS_ON_HAND", "WARNING")
    assert (raised.product_id, raised.zone_id) == (inv.split("@")[0], inv.split("@")[1])
    assert raised.warehouse_id == inv.split("@")[1].split("-")[0]

    assert round_trip(bootstrap, [ReserveStock(inv, "R-3", 4)])[0].status == "ACCEPTED"
    found = notifications.wait_for(inv, ["RAISED", "CLEARED"], TIMEOUT_S, "ALLOCATION_FAILED")
    assert distinct(found) == ["RAISED", "CLEARED"]  # the second refusal raised nothing
    assert round_trip(bootstrap, [ReserveStock(inv, "R-4", 1)])[0].status == "ACCEPTED"
    # a second CLEARED (without a RAISED) would be on the topic before this deadline
    again = notifications.wait_for(inv, ["RAISED", "CLEARED", "CLEARED"], 3, "ALLOCATION_FAILED")
    assert distinct(again) == ["RAISED", "CLEARED"]


def test_a_warehouse_silent_past_the_threshold_is_raised_and_a_command_clears_it(
    worker: WorkerProcess, bootstrap: str, notifications: Notifications
) -> None:
    w = unique_warehouse()
    spoke = time.time()
    assert round_trip(bootstrap, [create_warehouse(w)])[0].status == "ACCEPTED"
    [raised] = notifications.wait_for(w, ["RAISED"], TIMEOUT_S, "SITE_SILENT")
    assert raised.occurred_at.timestamp() - spoke >= SILENCE_S
    assert (raised.warehouse_id, raised.threshold) == (w, SILENCE_S)

    assert round_trip(bootstrap, [UpdateWarehouse(w, name="大阪倉庫")])[0].status == "ACCEPTED"
    found = notifications.wait_for(w, ["RAISED", "CLEARED"], TIMEOUT_S, "SITE_SILENT")
    assert distinct(found)[:2] == ["RAISED", "CLEARED"]


def test_commands_queued_while_the_worker_was_down_raise_a_delay_that_clears_once_drained(
    worker: WorkerProcess, bootstrap: str, notifications: Notifications
) -> None:
    _, inv = an_inventory(bootstrap)
    worker.stop()
    try:
        send_commands(bootstrap, [envelope(ReceiveStock(inv, 1)) for _ in range(5)])
        time.sleep(DELAY_S + 1)  # the queue ages past the threshold: this is the fault itself
    finally:
        worker.start()
    found = notifications.wait_for("command-outcome", ["RAISED", "CLEARED"], TIMEOUT_S)
    raised, cleared = found[0], found[-1]
    assert (raised.kind.value, raised.state.value) == ("PROCESSING_DELAYED", "RAISED")
    assert raised.observed is not None and raised.observed > DELAY_S
    assert raised.threshold == DELAY_S
    assert cleared.state.value == "CLEARED" and cleared.observed is not None
    assert cleared.observed <= DELAY_S


def test_two_workers_raise_a_silence_once_and_the_survivor_of_a_kill_clears_it_once(
    worker: WorkerProcess, stack: Stack, bootstrap: str, notifications: Notifications
) -> None:
    second = WorkerProcess(stack.settings, worker.run_dir, app_id=worker.app_id, extra_env=ENV)
    second.start()
    try:
        w = unique_warehouse()
        assert round_trip(bootstrap, [create_warehouse(w)])[0].status == "ACCEPTED"
        notifications.wait_for(w, ["RAISED"], TIMEOUT_S, "SITE_SILENT")
        worker.kill9()  # the older worker, most likely the one holding the lease
        assert round_trip(bootstrap, [UpdateWarehouse(w, name="仙台倉庫")])[0].status == "ACCEPTED"
        notifications.wait_for(w, ["RAISED", "CLEARED"], TIMEOUT_S, "SITE_SILENT")
        # a duplicate from the second worker would be on the topic before this deadline
        found = notifications.wait_for(w, ["RAISED", "CLEARED", "RAISED", "x"], 3, "SITE_SILENT")
        ids = [n.notification_id for n in found]
        assert len(ids) == len(set(ids)), "a notification was published twice"
        states = [n.state.value for n in found]  # silent again since: a new episode may start
        assert states[:2] == ["RAISED", "CLEARED"] and states[2:] in ([], ["RAISED"])
    finally:
        second.stop()
        worker.stop()
        worker.start()


def test_alerts_tail_follows_the_notifications_of_the_kinds_asked_for(
    worker: WorkerProcess, bootstrap: str, notifications: Notifications
) -> None:
    _, inv = an_inventory(bootstrap)
    assert round_trip(bootstrap, [ReserveStock(inv, "R-1", 1)])[0].error_code is not None
    notifications.wait_for(inv, ["RAISED"], TIMEOUT_S, "ALLOCATION_FAILED")
    argv = ["alerts", "tail", "--notifications", "--from-beginning", "--timeout", "5"]
    as_json = tail(worker, [*argv, "--kind", "引当失敗,AGGREGATE_PARKED", "--json"])
    lines = [json.loads(line) for line in as_json.splitlines() if line.startswith("{")]
    mine = [line for line in lines if line["subject"] == inv]
    assert [(m["kind"], m["state"], m["code"]) for m in mine] == [
        ("ALLOCATION_FAILED", "RAISED", "RESERVATION_EXCEEDS_ON_HAND")
    ]
    assert {line["kind"] for line in lines} <= {"ALLOCATION_FAILED", "AGGREGATE_PARKED"}
    table = tail(worker, [*argv, "--kind", "ALLOCATION_FAILED"])
    assert "発生日時 (JST)" in table and "種別" in table and "内容" in table
    assert inv in table and "引当失敗" in table
    refused = subprocess.run([sys.executable, "-m", "compose", *argv, "--kind", "LATE"],
                             cwd=REPO, env=worker.env, capture_output=True, text=True)  # fmt: skip
    assert refused.returncode == 2 and "unknown notification kind" in refused.stderr


def tail(worker: WorkerProcess, args: list[str]) -> str:
    """Run ``zaiko <args>`` against the test stack; return its output (wide, no colour)."""
    env = {**worker.env, "COLUMNS": "250", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "compose", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
