"""``zaiko stack up --services``: every declared service runs, is healthy and does its job.

Two instances of each scalable service run side by side on default settings (no port
of their own): two workers, two bridges (one holding the lease), two projectors.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compose.processes import PidRecord, is_ours
from compose.stack import Stack
from schemas import COMMAND_RESULTS_TOPIC, event_topic_for
from tests.integration.conftest import free_port_block, stack_settings_for
from tests.integration.stack_cli import SERVICE_PORT_OFFSETS, run_zaiko
from tests.integration.streams.kafka_io import TopicReader, collect_outcomes, send_commands
from tests.unit.streams.builders import create_product, envelope, unique_number

pytestmark = pytest.mark.integration

PORTS = free_port_block(29300, SERVICE_PORT_OFFSETS)


def _zaiko(state_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_zaiko(state_dir, PORTS, *args)


def _records(state_dir: Path) -> list[PidRecord]:
    records = [PidRecord.load(p) for p in (state_dir / "run").glob("*.pid")]
    return [r for r in records if r is not None]


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    state = tmp_path_factory.mktemp("services") / "state"
    try:
        yield state
    finally:
        _zaiko(state, "stack", "down")  # never leave a process behind, even on failure


@pytest.fixture(scope="module")
def status(state_dir: Path) -> dict[str, Any]:
    """Start the stack with its services; return ``zaiko stack status --json``."""
    up = _zaiko(state_dir, "stack", "up", "--workers", "2", "--bridges", "2", "--projectors", "2")
    assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-2000:]
    shown = _zaiko(state_dir, "stack", "status", "--json")
    assert shown.returncode == 0, shown.stdout[-2000:] + shown.stderr[-2000:]
    report: dict[str, Any] = json.loads(shown.stdout)
    return report


def declared_services(state_dir: Path) -> list[str]:
    """Return the names of the services the stack declares (whatever they are today)."""
    return [s.name for s in Stack(stack_settings_for(state_dir, PORTS)).services]


def test_every_declared_service_runs_and_is_healthy(
    state_dir: Path, status: dict[str, Any]
) -> None:
    services = declared_services(state_dir)
    assert {"worker", "worker-2", "bridge", "bridge-2", "projector", "projector-2"} <= set(services)
    components = status["components"]
    for name in services:
        assert name in components, f"{name} missing from the status"
        assert components[name]["healthy"], components[name]
        assert components[name]["pid"], f"{name} has no process of ours"
    assert status["healthy"]


def test_a_command_gets_its_outcome_and_its_event_reaches_the_event_topic(
    status: dict[str, Any],
) -> None:
    bootstrap = f"127.0.0.1:{PORTS['kafka']}"
    product_id = f"PRD-{unique_number()}"
    sent = envelope(create_product(product_id))
    results = TopicReader(bootstrap, COMMAND_RESULTS_TOPIC)
    events = TopicReader(bootstrap, event_topic_for("product"))
    try:
        send_commands(bootstrap, [sent])
        outcomes = collect_outcomes(results, {sent.meta.command_id}, timeout_s=60)
        (outcome,) = outcomes[sent.meta.command_id]
        assert (outcome.status.value, outcome.version) == ("ACCEPTED", 1)
        bridged = events.read_until(lambda m: m.key() == product_id.encode(), bool, 60)
        assert bridged, "the bridge did not publish the journal's event"
    finally:
        results.close()
        events.close()


def test_status_shows_which_bridge_holds_the_lease_and_which_stands_by(
    status: dict[str, Any],
) -> None:
    lease = status["bridge_lease"]
    assert lease["healthy"], lease
    components = status["components"]
    roles = {name: components[name]["detail"] for name in ("bridge", "bridge-2")}
    assert sorted(roles.values()) == ["holds the lease", "standing by"], roles
    holder = next(name for name, role in roles.items() if role == "holds the lease")
    assert lease["holder"].startswith(f"{holder}@")
    assert lease["holder"].endswith(f":{components[holder]['pid']}")
    standby = next(name for name in roles if name != holder)
    assert [s.split("@")[0] for s in lease["standbys"]] == [standby]
    assert status["journal_epoch"]["healthy"] and status["journal_epoch"]["verdict"] in (
        "match",
        "recorded",
    )


def test_a_smaller_number_stops_the_surplus_instances_only(
    state_dir: Path, status: dict[str, Any]
) -> None:
    before = {name: c["pid"] for name, c in status["components"].items()}
    surplus = PidRecord.load(state_dir / "run" / "worker-2.pid")
    assert surplus is not None and is_ours(surplus)
    up = _zaiko(state_dir, "stack", "up", "--workers", "1")
    assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-2000:]
    after = json.loads(_zaiko(state_dir, "stack", "status", "--json").stdout)["components"]
    assert "worker-2" not in after and not is_ours(surplus)
    for name in ("worker", "bridge", "bridge-2", "projector", "projector-2"):
        assert after[name]["pid"] == before[name], f"{name} was restarted"


def test_down_leaves_no_process_of_ours(state_dir: Path, status: dict[str, Any]) -> None:
    before = _records(state_dir)
    now = json.loads(_zaiko(state_dir, "stack", "status", "--json").stdout)["components"]
    assert {r.pid for r in before} >= {c["pid"] for c in now.values() if c["pid"]}
    down = _zaiko(state_dir, "stack", "down")
    assert down.returncode == 0, down.stderr[-2000:]
    assert [r.pid for r in before if is_ours(r)] == []
    assert _records(state_dir) == []
