"""The supervisor: keep the planned services running, restart crashes with backoff, give up."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from dataclasses import asdict
from typing import Any

from compose.components.service import ServiceComponent
from compose.processes import PidRecord, is_ours, wait_until
from compose.settings import StackSettings
from compose.supervision.exits import describe_exit, last_log_lines
from compose.supervision.files import Plan, SupervisionFiles
from compose.supervision.policy import GAVE_UP, RUNNING, RestartPolicy, ServiceWatch
from connectors.logs import configure_logging

_log = logging.getLogger("zaiko.supervisor")


def log(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one line through the shared formatter (JSON in the supervisor's log file)."""
    _log.log(level, event, extra={"fields": fields})


def policy_from(settings: StackSettings) -> RestartPolicy:
    """Return the restart policy the settings ask for."""
    return RestartPolicy(
        initial_backoff_s=settings.supervisor_backoff_initial_s,
        max_backoff_s=settings.supervisor_backoff_max_s,
        give_up_after=settings.supervisor_give_up_after,
        window_s=settings.supervisor_window_s,
    )


class Supervisor:
    """Each pass (every ``supervisor_poll_s``, under the lock the CLI takes to change
    what runs) reads the plan and checks the services' pid records: it costs one
    /proc read per service, whatever the history."""

    def __init__(self, settings: StackSettings, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.files = SupervisionFiles(settings.state_dir.resolve() / "run")
        self.policy = policy_from(settings)
        self.stop = stop or threading.Event()
        self.requested_at: float | None = None
        self.services: list[ServiceComponent] = []
        self.watches: dict[str, ServiceWatch] = {}
        self.fresh: set[str] = set()  # planned, not yet seen alive nor launched by us

    def run(self) -> None:
        """Supervise until ``stop`` is set."""
        log("supervisor started", pid=os.getpid(), policy=asdict(self.policy))
        while not self.stop.is_set():
            try:
                self.pass_once()
            except Exception as exc:  # one failed launch must not end all supervision
                log("pass failed", error=f"{type(exc).__name__}: {exc}"[:500])
            self.stop.wait(self.settings.supervisor_poll_s)
        log("supervisor stopped", pid=os.getpid())

    def pass_once(self) -> None:
        """Check every planned service once; launch or schedule what is down."""
        with self.files.locked():
            self._follow(self.files.read_plan())
            launched_gateways: list[ServiceComponent] = []
            for service in self.services:
                if self.stop.is_set():  # `stack down` is stopping us: launch nothing more
                    break
                if launched_gateways and not service.health_url:
                    self._await_listening(launched_gateways)  # they bind their ports first
                    launched_gateways = []
                if self._check(service) and service.health_url:
                    launched_gateways.append(service)
        self.files.write_state(self.state())

    def _follow(self, plan: Plan | None) -> None:
        if plan is None or plan.requested_at != self.requested_at:
            from compose.stack import Stack

            stack = Stack(self.settings, plan.counts if plan else {})
            wanted = set(plan.services) if plan else set()
            self.services = [s for s in stack.services if s.name in wanted]
            self.watches = {s.name: ServiceWatch(self.policy) for s in self.services}
            self.fresh = set(self.watches)
            self.requested_at = plan.requested_at if plan else None
            log("plan followed", services=sorted(wanted))

    def _check(self, service: ServiceComponent) -> bool:
        """Return True when this pass launched ``service``."""
        watch, now = self.watches[service.name], time.monotonic()
        record = PidRecord.load(service.pid_file)
        if record is not None and is_ours(record):
            self.fresh.discard(service.name)
            return False
        if service.name in self.fresh:  # never ran under us: a start, not a restart
            self.fresh.discard(service.name)
            service.launch()
            log("service started", service=service.name, pid=_pid(service))
            return True
        if watch.state == RUNNING:
            error: dict[str, object] = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                     "exit": describe_exit(record.pid) if record else "pid file missing",
                     "log": last_log_lines(service.log_file)}  # fmt: skip
            watch.crashed(now, error)
            level = "gave up" if watch.state == GAVE_UP else "service crashed"
            log(level, logging.WARNING if watch.state != GAVE_UP else logging.ERROR,
                service=service.name, crashes_in_window=len(watch.crashes),
                restart_in_s=None if watch.restart_at is None else watch.restart_at - now,
                **error)  # fmt: skip
        if watch.due(now):
            service.launch()
            watch.restarted()
            log("service restarted", service=service.name, pid=_pid(service),
                restarts=watch.restarts)  # fmt: skip
            return True
        return False

    def _await_listening(self, gateways: list[ServiceComponent]) -> None:
        def settled() -> bool:
            return self.stop.is_set() or all(g.healthy() or g.record() is None for g in gateways)

        wait_until(settled, self.settings.ready_timeout_s, interval_s=0.25)

    def state(self) -> dict[str, Any]:
        """Return what ``zaiko stack status`` shows about the supervision."""
        now, wall = time.monotonic(), time.time()
        services = {}
        for name, watch in self.watches.items():
            at = None if watch.restart_at is None else wall + watch.restart_at - now
            services[name] = {"state": watch.state, "restarts": watch.restarts,
                              "crashes_in_window": len(watch.crashes), "restart_at": at,
                              "last_error": watch.last_error}  # fmt: skip
        return {"pid": os.getpid(), "updated_at": wall, "policy": asdict(self.policy),
                "services": services}  # fmt: skip


def _pid(service: ServiceComponent) -> int | None:
    record = PidRecord.load(service.pid_file)
    return record.pid if record else None


def run_supervisor() -> None:
    """Run the supervisor in the foreground until SIGTERM/SIGINT."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    settings = StackSettings()
    configure_logging(settings.log_level, settings.log_format, "supervisor", "supervisor")
    try:
        Supervisor(settings, stop).run()
    except Exception as exc:
        log("supervisor failed", logging.ERROR, error=f"{type(exc).__name__}: {exc}")
        sys.exit(1)
