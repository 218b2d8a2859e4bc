"""What the CLI and the supervisor share under state_dir/run: a lock, the plan, the state."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Plan:
    """The services the supervisor keeps running, as the last ``stack up --services`` asked."""

    services: list[str]
    counts: dict[str, int]  # instances per scalable service, to rebuild the components
    requested_at: float  # a new request forgives the services the supervisor gave up on


class SupervisionFiles:
    """The lock serialises the CLI's changes with the supervisor's passes (no restart of
    what the CLI is stopping); the plan says what to supervise; the state is what
    ``zaiko stack status`` shows."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.lock_file = run_dir / "supervisor.lock"
        self.plan_file = run_dir / "supervisor-plan.json"
        self.state_file = run_dir / "supervisor.json"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the supervision lock (released by the kernel if the holder dies)."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with self.lock_file.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write_plan(self, services: list[str], counts: dict[str, int]) -> Plan:
        """Record what to supervise (call while holding the lock)."""
        plan = Plan(services, counts, time.time())
        _write_atomically(self.plan_file, asdict(plan))
        return plan

    def read_plan(self) -> Plan | None:
        """Return the plan, or None when nothing is to be supervised."""
        found = _read(self.plan_file)
        try:
            return Plan(**found) if found is not None else None
        except TypeError:
            return None

    def clear_plan(self) -> None:
        """Forget the plan: nothing is to be supervised (``stack down``)."""
        self.plan_file.unlink(missing_ok=True)

    def write_state(self, state: dict[str, Any]) -> None:
        """Publish the supervisor's state for ``zaiko stack status``."""
        _write_atomically(self.state_file, state)

    def read_state(self) -> dict[str, Any] | None:
        """Return the supervisor's last published state, if any."""
        return _read(self.state_file)


def _write_atomically(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(content, ensure_ascii=False))
    temporary.replace(path)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
