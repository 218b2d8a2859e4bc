"""The supervisor of ``zaiko stack up --services``: it restarts a killed service within
seconds, gives up on one that crashes at every start, and ``stack down`` stops it first.

The stack runs on its own ports through the real CLI, as an operator runs it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compose.processes import PidRecord, is_ours, stop, wait_until
from tests.integration.conftest import free_port_block
from tests.integration.stack_cli import SERVICE_PORT_OFFSETS, run_zaiko

pytestmark = pytest.mark.integration

PORTS = free_port_block(29400, SERVICE_PORT_OFFSETS)
GIVE_UP_AFTER = 3
SUPERVISION = {
    "ZAIKO_SUPERVISOR_GIVE_UP_AFTER": str(GIVE_UP_AFTER),
    "ZAIKO_SUPERVISOR_WINDOW_S": "120",
}


def _zaiko(state_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return run_zaiko(state_dir, PORTS, *args, **SUPERVISION, **extra)


def _status(state_dir: Path) -> dict[str, Any]:
    shown = _zaiko(state_dir, "stack", "status", "--json")
    report: dict[str, Any] = json.loads(shown.stdout)
    return report


def _live(state_dir: Path, name: str) -> PidRecord | None:
    record = PidRecord.load(state_dir / "run" / f"{name}.pid")
    return record if record is not None and is_ours(record) else None


def _live_records(state_dir: Path) -> list[PidRecord]:
    records = [PidRecord.load(p) for p in (state_dir / "run").glob("*.pid")]
    return [r for r in records if r is not None and is_ours(r)]


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A stack with its services started by ``zaiko stack up --services`` (supervised)."""
    state = tmp_path_factory.mktemp("supervised") / "state"
    try:
        up = _zaiko(state, "stack", "up", "--services")
        assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-2000:]
        yield state
    finally:
        _zaiko(state, "stack", "down")  # never leave a process behind, even on failure


def test_the_status_shows_the_supervisor_and_each_service_running(state_dir: Path) -> None:
    report = _status(state_dir)
    supervisor = _live(state_dir, "supervisor")
    assert supervisor is not None, "stack up --services left no supervisor running"
    assert report["supervisor"]["healthy"] and report["supervisor"]["pid"] == supervisor.pid
    for name in ("command-gateway", "query-gateway", "worker", "bridge", "projector"):
        line = report["components"][name]["supervision"]
        assert (line["state"], line["restarts"], line["last_error"]) == ("running", 0, None)


def test_a_worker_killed_with_sigkill_is_restarted_within_five_seconds(state_dir: Path) -> None:
    killed = _live(state_dir, "worker")
    ready = state_dir / "run" / "worker.ready"
    assert killed is not None and ready.exists()
    os.kill(killed.pid, signal.SIGKILL)
    killed_at = time.monotonic()

    def replaced() -> bool:
        record = _live(state_dir, "worker")
        return record is not None and record.pid != killed.pid

    assert wait_until(replaced, 10.0, interval_s=0.02), "no new worker within 10 s"
    to_live = time.monotonic() - killed_at
    assert wait_until(ready.exists, 60.0, interval_s=0.05), "the new worker never got ready"
    to_ready = time.monotonic() - killed_at
    print(f"kill -9 -> new worker pid {to_live:.2f} s, -> ready {to_ready:.2f} s")
    assert to_live < 5.0, f"the worker came back after {to_live:.2f} s"

    report = _status(state_dir)
    worker = report["components"]["worker"]
    assert worker["healthy"] and worker["pid"] == _live(state_dir, "worker").pid  # type: ignore[union-attr]
    line = worker["supervision"]
    assert (line["state"], line["restarts"]) == ("running", 1)
    assert line["last_error"]["exit"] == "killed by SIGKILL"
    assert line["last_error"]["log"], "the last error shows none of the worker's log lines"


def test_a_service_that_crashes_at_every_start_is_given_up_on(state_dir: Path) -> None:
    # a supervisor whose environment gives the projector (and only it) an invalid setting
    supervisor = _live(state_dir, "supervisor")
    assert supervisor is not None
    stop(supervisor)
    up = _zaiko(state_dir, "stack", "up", "--services", ZAIKO_RETRY_BACKOFF_MAX_S="0")
    assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-2000:]
    projector = _live(state_dir, "projector")
    assert projector is not None
    os.kill(projector.pid, signal.SIGKILL)

    def gave_up() -> bool:
        line = _status(state_dir)["components"]["projector"].get("supervision", {})
        return bool(line.get("state") == "gave up")

    assert wait_until(gave_up, 60.0, interval_s=0.5), _status(state_dir)["components"]["projector"]
    report = _status(state_dir)
    line = report["components"]["projector"]["supervision"]
    assert (line["restarts"], line["crashes_in_window"]) == (GIVE_UP_AFTER - 1, GIVE_UP_AFTER)
    assert line["last_error"]["exit"] == "exited with status 1"
    assert any("retry_backoff_max_s" in text for text in line["last_error"]["log"]), line[
        "last_error"
    ]
    assert (
        report["supervisor"]["healthy"] is False and "projector" in report["supervisor"]["detail"]
    )
    assert not report["healthy"] and _live(state_dir, "projector") is None
    assert _live(state_dir, "worker") is not None, "giving up on the projector touched the worker"
    table = _zaiko(state_dir, "stack", "status")
    assert table.returncode == 1, table.stdout[-2000:] + table.stderr[-2000:]
    assert "gave up" in table.stdout and "exited with status 1" in table.stdout, table.stdout


def test_down_stops_the_supervisor_first_and_nothing_comes_back(state_dir: Path) -> None:
    running = _live_records(state_dir)
    assert any(r.argv[-1] == "supervise" for r in running) and len(running) > 5
    down = _zaiko(state_dir, "stack", "down")
    assert down.returncode == 0, down.stderr[-2000:]
    assert [r.pid for r in running if is_ours(r)] == []
    # longer than the supervisor's poll and first backoff: anything it restarted would show
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        assert _live_records(state_dir) == [], "a process came back after stack down"
        time.sleep(0.1)
    assert not (state_dir / "run" / "supervisor-plan.json").exists()
