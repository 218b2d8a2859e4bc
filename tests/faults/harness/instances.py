"""One process of a stack component or service, handled by its pid only.

Wraps ``compose`` components, so an instance starts exactly as ``zaiko stack up`` starts
it (same argv, environment, pid file and readiness), and adds what faults need: kill -9,
SIGTERM with a measured exit, SIGSTOP/SIGCONT of the process and its children (the
embedded PostgreSQL answers from forked backends).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import time

import psutil

from compose.components.base import Component
from compose.processes import PidRecord, is_ours
from tests.faults.harness.deadline import wait_for


class Instance:
    """A named process of ours; every signal goes to the pid in its pid file, checked first."""

    def __init__(self, component: Component) -> None:
        self.component = component
        self.name = component.name
        self.paused: list[int] = []

    @property
    def pid(self) -> int | None:
        record = self.component.record()
        return record.pid if record is not None else None

    @property
    def alive(self) -> bool:
        return self.component.record() is not None

    def start(self) -> float:
        """Start the process unless it runs; wait until it is ready; return the seconds taken."""
        started = time.monotonic()
        self.component.start()
        return time.monotonic() - started

    def stop(self) -> None:
        """Stop it the way ``zaiko stack down`` does (resumed first if we paused it)."""
        self.resume()
        self.component.stop()

    def kill9(self) -> None:
        """SIGKILL the process and wait until it is gone."""
        self._signal_and_wait(signal.SIGKILL, 15.0)

    def terminate(self, timeout_s: float = 30.0) -> float:
        """SIGTERM the process; return the seconds until it exited (fail at the deadline)."""
        return self._signal_and_wait(signal.SIGTERM, timeout_s)

    def pause(self) -> None:
        """SIGSTOP the process and its children (children first, so none notices the parent)."""
        record = self._record()
        family = [*psutil.Process(record.pid).children(recursive=True), psutil.Process(record.pid)]
        for member in family:
            with contextlib.suppress(psutil.Error):
                member.send_signal(signal.SIGSTOP)
                self.paused.append(member.pid)

    def resume(self) -> None:
        """SIGCONT every process ``pause`` stopped (the parent first)."""
        for pid in reversed(self.paused):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.paused.clear()

    def log_tail(self, lines: int = 5) -> str:
        """Return the last lines of the process's log, one string."""
        path = self.component.log_file
        text = path.read_text(errors="replace") if path.exists() else ""
        return " | ".join(line[:300] for line in text.splitlines()[-lines:])

    def wedged_in_a_group(self) -> str | None:
        """Say whether the process's consumer rejoins one group generation over and over.

        Tansu's group coordinator (memory storage, v0.6) can keep a member that died or
        left as the leader of a generation: the others then join, wait for an assignment
        the dead leader never sends, and join again, for as long as the broker runs (seen
        after a rebalance storm; a restarted worker joins the same loop). Apache Kafka
        evicts such a member after its session timeout. Returns the evidence, or None.
        """
        path = self.component.log_file
        lines = (path.read_text(errors="replace") if path.exists() else "").splitlines()[-40:]
        joined = [re.search(r"Joined group '.*' \(generation (\d+)\)", line) for line in lines]
        generations = {m.group(1) for m in joined if m}
        assigned = any("newly assigned partitions" in line for line in lines)
        rounds = sum(1 for m in joined if m)
        if rounds >= 8 and len(generations) == 1 and not assigned:
            return f"{rounds} joins of generation {generations.pop()} without an assignment"
        return None

    def resume_all(self) -> None:
        """SIGCONT the process and its children, whoever stopped them (a failed scenario)."""
        record = self._record()
        family = [psutil.Process(record.pid), *psutil.Process(record.pid).children(recursive=True)]
        for member in family:
            with contextlib.suppress(psutil.Error):
                member.send_signal(signal.SIGCONT)

    def _record(self) -> PidRecord:
        record = self.component.record()
        if record is None:
            raise AssertionError(f"{self.name} is not running")
        return record

    def _signal_and_wait(self, sig: int, timeout_s: float) -> float:
        record = self._record()
        os.kill(record.pid, sig)
        took = wait_for(lambda: _gone(record), timeout_s, f"{self.name} to exit after {sig}")
        self.component.pid_file.unlink(missing_ok=True)  # gone: its record is stale
        return took


def _gone(record: PidRecord) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(record.pid, os.WNOHANG)  # reap it when it is our child
    return not is_ours(record)
