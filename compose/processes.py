"""Background processes with pid files: start detached, recognise, stop by pid only."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil


class PortBusyError(RuntimeError):
    """A port we must listen on is taken by a process we did not start."""

    def __init__(self, port: int, variable: str) -> None:
        super().__init__(
            f"port {port} is already in use by another process; stop it or choose another "
            f"port with {variable}"
        )
        self.port = port
        self.variable = variable


@dataclass(frozen=True)
class PidRecord:
    """What we know about a process we started, to recognise it later."""

    pid: int
    start_ticks: int
    argv: list[str]

    def save(self, path: Path) -> None:
        """Write the record as JSON."""
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> PidRecord | None:
        """Read a record, or None when the file is missing or unreadable."""
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


def start_ticks(pid: int) -> int | None:
    """Return the process start time in clock ticks (field 22 of /proc/pid/stat)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return int(fields[19])


def is_ours(record: PidRecord) -> bool:
    """Return True when the pid is alive and is still the process we started."""
    ticks = start_ticks(record.pid)
    return ticks is not None and ticks == record.start_ticks and not _is_zombie(record.pid)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return True


def port_free(host: str, port: int) -> bool:
    """Return True when we could listen on host:port (a bind test: connecting to probe a
    port in the ephemeral range can connect to itself and report it busy)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def listens(pid: int, port: int | None) -> bool:
    """Return True when process ``pid`` (or a child of it) listens on TCP ``port``."""
    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)]
    except psutil.Error:
        return False
    for member in family:
        try:
            connections = member.net_connections(kind="tcp")
        except psutil.Error:
            continue
        if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in connections):
            return True
    return False


_SPAWNED: dict[int, subprocess.Popen[bytes]] = {}


def spawn(
    argv: Sequence[str],
    log: Path,
    pid_file: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    user: str | None = None,
) -> PidRecord:
    """Start argv detached (own session), logging to ``log``, and record its pid."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
            cwd=cwd,
            user=user,
        )
    # Kept referenced: a Popen collected while its child runs is reaped by subprocess's
    # own clean-up at the next spawn, and the supervisor would lose the exit status.
    _SPAWNED[proc.pid] = proc
    record = PidRecord(proc.pid, start_ticks(proc.pid) or 0, list(argv))
    record.save(pid_file)
    return record


def stop(record: PidRecord, grace_s: float = 10.0, sig: int = signal.SIGTERM) -> None:
    """Stop our process: ``sig`` first, SIGKILL after ``grace_s``; reap it if it is our child."""
    if not is_ours(record):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(record.pid, sig)
    if not wait_until(lambda: not is_ours(record), grace_s):
        with contextlib.suppress(ProcessLookupError):
            os.kill(record.pid, signal.SIGKILL)
        wait_until(lambda: not is_ours(record), 5.0)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(record.pid, os.WNOHANG)


def wait_until(condition: Callable[[], bool], timeout_s: float, interval_s: float = 0.1) -> bool:
    """Poll ``condition`` until it holds or the deadline passes; return whether it held."""
    deadline = time.monotonic() + timeout_s
    while True:
        with contextlib.suppress(Exception):
            if condition():
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval_s)
