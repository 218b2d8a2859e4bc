"""A stack component: something with a URL and a health check, maybe a process we run."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from compose.processes import (
    PidRecord,
    PortBusyError,
    is_ours,
    listens,
    port_free,
    spawn,
    stop,
    wait_until,
)

PORT_BUSY_GRACE_S = 10.0  # how long a busy port may take to come free before we give up


class StartError(RuntimeError):
    """A component did not become ready before its deadline."""


@dataclass
class ComponentStatus:
    """What ``zaiko stack status`` reports about one component."""

    name: str
    url: str
    healthy: bool
    embedded: bool
    pid: int | None
    detail: str = ""
    metrics: str | None = None  # the Prometheus endpoint of a service that serves one


class Component:
    """Base for the four infrastructure parts; subclasses say how to run and probe them."""

    name = "component"
    port_variable = ""
    stop_signal = signal.SIGTERM

    def __init__(
        self, state_dir: Path, host: str, port: int, embedded: bool, ready_timeout_s: float
    ) -> None:
        self.state_dir = state_dir
        self.host = host
        self.port = port
        self.embedded = embedded
        self.ready_timeout_s = ready_timeout_s

    # -- to override -------------------------------------------------------------
    @property
    def url(self) -> str:
        """Return the address clients use."""
        raise NotImplementedError

    def argv(self) -> Sequence[str]:
        """Return the command line of the embedded process."""
        raise NotImplementedError

    def probe(self) -> None:
        """Raise unless the component answers a real request."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Do one-time work before the first start (e.g. initdb)."""

    def spawn_user(self) -> str | None:
        """Return the OS user to run the process as, or None for the current one."""
        return None

    # -- shared ------------------------------------------------------------------
    @property
    def pid_file(self) -> Path:
        return self.state_dir / "run" / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "logs" / f"{self.name}.log"

    def record(self) -> PidRecord | None:
        """Return the pid record of our running process, if it is still alive."""
        record = PidRecord.load(self.pid_file)
        return record if record is not None and is_ours(record) else None

    def healthy(self) -> bool:
        """Return True when the probe succeeds."""
        record = self.record() if self.embedded and self.port else None
        # Connect only once our process listens: our ports lie in Linux's ephemeral
        # range, and a connect to an unbound one can connect to itself (TCP
        # self-connect), holding the port so that the server's own bind fails.
        if record is not None and not listens(record.pid, self.port):
            return False
        try:
            self.probe()
        except Exception:
            return False
        return True

    def start(self) -> None:
        """Start the embedded process unless it runs already; wait until it is healthy."""
        if not self.embedded:
            self._wait_ready()
            return
        if self.record() is None:
            # Our ports lie in Linux's ephemeral range: any process's outgoing connection
            # may hold one for a moment (seen from a fresh clone), so give it time to go.
            if not wait_until(lambda: port_free(self.host, self.port), PORT_BUSY_GRACE_S, 0.25):
                raise PortBusyError(self.port, self.port_variable)
            self.prepare()
            self.pid_file.parent.mkdir(parents=True, exist_ok=True)
            spawn(self.argv(), self.log_file, self.pid_file, user=self.spawn_user())
        self._wait_ready()

    def stop(self) -> None:
        """Stop our process (only ours) and remove its pid file."""
        record = PidRecord.load(self.pid_file)
        if record is not None:
            stop(record, sig=self.stop_signal)
        self.pid_file.unlink(missing_ok=True)

    def reset(self) -> None:
        """Remove this component's persisted data (only call when stopped)."""
        shutil.rmtree(self.state_dir / self.name, ignore_errors=True)

    def status(self) -> ComponentStatus:
        """Return the component's status for ``zaiko stack status``."""
        record = self.record()
        detail = ""
        try:
            self.probe()
            healthy = True
        except Exception as exc:
            healthy, detail = False, f"{type(exc).__name__}: {exc}"[:200]
        return ComponentStatus(
            self.name, self.url, healthy, self.embedded, record.pid if record else None, detail
        )

    def _wait_ready(self) -> None:
        if wait_until(self.healthy, self.ready_timeout_s, interval_s=0.25):
            return
        tail = ""
        if self.log_file.exists():
            tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-15:])
        where = f"; log {self.log_file}:\n{tail}" if self.embedded else ""
        raise StartError(
            f"{self.name} at {self.url} not ready within {self.ready_timeout_s:.0f}s{where}"
        )
