"""What ``zaiko stack status`` says about the supervisor and each supervised service."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console

from compose.components.service import ServiceComponent
from compose.supervision.files import SupervisionFiles
from compose.supervision.policy import RESTARTING


def supervision_report(
    files: SupervisionFiles, supervisor: ServiceComponent
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Return the supervisor's check line and, per supervised service, its supervision."""
    plan, state = files.read_plan(), files.read_state()
    record = supervisor.record()
    if plan is None:
        detail = "not supervised (stack up --services supervises its services)"
        return {"healthy": None, "pid": record.pid if record else None, "detail": detail}, {}
    if record is None:
        check = {"healthy": False, "pid": None, "detail": "supervisor not running: crashed "
                 "services stay down; run zaiko stack up --services"}  # fmt: skip
        return check, {}
    services = (state or {}).get("services", {}) if (state or {}).get("pid") == record.pid else {}
    shown = {name: _service_line(entry) for name, entry in services.items()}
    gave_up = sorted(name for name, entry in services.items() if entry["state"] == "gave up")
    detail = f"watching {len(plan.services)} services" + (
        f"; gave up on {', '.join(gave_up)}" if gave_up else ""
    )
    return {"healthy": not gave_up, "pid": record.pid, "detail": detail}, shown


def _service_line(entry: dict[str, Any]) -> dict[str, Any]:
    state = entry["state"]
    if state == RESTARTING and entry.get("restart_at") is not None:
        state = f"restarting in {max(entry['restart_at'] - time.time(), 0.0):.1f}s"
    return {"state": state, "restarts": entry["restarts"],
            "crashes_in_window": entry["crashes_in_window"],
            "last_error": entry["last_error"]}  # fmt: skip


def supervision_cell(line: dict[str, Any] | None) -> str:
    """Return the status table's supervision cell: state and restarts."""
    if line is None:
        return "-"
    colour = {"running": "green", "gave up": "red"}.get(line["state"], "yellow")
    return f"[{colour}]{line['state']}[/] · {line['restarts']} restarts"


def print_last_errors(out: Console, components: dict[str, Any]) -> None:
    """Print each supervised service's last error (exit, then its last log lines)."""
    for name, component in components.items():
        error = (component.get("supervision") or {}).get("last_error")
        if error:
            out.print(f"{name} last error at {error['at']}: [red]{error['exit']}[/]")
            for line in error["log"]:
                out.print(f"    {line}", markup=False, highlight=False)
