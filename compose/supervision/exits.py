"""Why a process ended: its exit status or signal, and the last lines of its log."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

LOG_TAIL_BYTES = 16_384


def describe_exit(pid: int, reap_within_s: float = 2.0) -> str:
    """Reap ``pid`` if it is our child and return how it ended.

    A killed multi-threaded process shows as a zombie before its last thread is gone,
    and only then can it be reaped: wait for that, briefly."""
    deadline = time.monotonic() + reap_within_s
    while True:
        try:
            reaped, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return "exited (status unknown: not started by the supervisor)"
        if reaped != 0:
            break
        if time.monotonic() >= deadline:
            return "gone (status unknown: not reaped in time)"
        time.sleep(0.01)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exited with status {os.waitstatus_to_exitcode(status)}"


def last_log_lines(log: Path, count: int = 6, width: int = 300) -> list[str]:
    """Return the last ``count`` non-empty lines of ``log`` (reading only its tail)."""
    try:
        with log.open("rb") as handle:
            handle.seek(max(log.stat().st_size - LOG_TAIL_BYTES, 0))
            tail = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    return [line[:width] for line in lines[-count:]]
