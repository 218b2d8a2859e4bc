"""The main job: the stack and its services, D商事's data, one business day, a summary."""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass, field

import psycopg
from rich.console import Console

from compose.settings import StackSettings
from compose.stack import Stack
from connectors.postgres.conninfo import with_timeouts
from simulation.model import MasterDataSpec

POSITIONS = "SELECT count(*), coalesce(sum(適用済シーケンス番号), 0) FROM 投影位置"
IN_TRANSIT = "SELECT coalesce(sum(移動中数), 0) FROM 在庫"


@dataclass(frozen=True)
class DemoOptions:
    spec: MasterDataSpec = field(default_factory=MasterDataSpec)  # D商事 at full size
    day: int = 1
    movements: int = 2000
    speed: float = 0.0
    audit: bool = False  # a full journal scan: ~40 s on moto at D商事's size
    catch_up_timeout_s: float = 300.0


@dataclass
class DemoTimes:
    phases: dict[str, float] = field(default_factory=dict)

    def mark(self, phase: str, started: float) -> float:
        """Record how long ``phase`` took since ``started``; return now."""
        now = time.monotonic()
        self.phases[phase] = now - started
        return now


def run_demo(console: Console, settings: StackSettings, options: DemoOptions) -> int:
    """Run the whole main job; return the exit code (0 when the read model is consistent)."""
    from connectors.audit import print_report, run_audit
    from connectors.dynamodb.putitem import raw_put_rate
    from connectors.metrics.requests import RequestMeter
    from simulation.day import DaySpec
    from simulation.load import LoadOptions, run_load
    from simulation.load_report import print_report as print_load
    from simulation.load_report import ratio_line
    from simulation.report import print_run
    from simulation.simulate import SimulateOptions, run_simulation

    times, t = DemoTimes(), time.monotonic()
    stack = Stack(settings)
    reset = journal_lost(stack)
    if reset:
        console.print("the embedded DynamoDB starts empty: wiping the old read model with it")
    with console.status("starting the stack and its services") as spinner:
        stack.up(progress=lambda step: spinner.update(step), reset=reset, with_services=True,
                 supervised=True)  # fmt: skip
    t = times.mark("stack and services up", t)

    url = settings.effective_database_url
    spec = options.spec
    console.rule("D商事 master data and initial stock")
    endpoints = stack.metrics_endpoints()
    loaded = run_load(spec, LoadOptions(settings.kafka_bootstrap_servers, url), console,
                      functools.partial(raw_put_rate, settings),
                      RequestMeter(endpoints, local="demo"))  # fmt: skip
    print_load(console, spec, loaded)
    t = times.mark("load (commands answered)", t)

    console.rule(f"business day {options.day}: sales channels")
    day_started = dt.datetime.now(dt.UTC)
    run = run_simulation(
        spec, DaySpec(spec.seed, options.day, options.movements, True),
        SimulateOptions(settings.kafka_bootstrap_servers, options.speed), console,
        RequestMeter(endpoints, local="demo"),
    )  # fmt: skip
    print_run(console, run)
    t = times.mark("business day (commands answered)", t)

    with console.status("waiting for the read model to catch up"):
        settled = wait_until_settled(url, options.catch_up_timeout_s)
    t = times.mark("read model caught up", t)
    report = run_audit(settings) if options.audit else None
    if report is not None:
        t = times.mark("audit", t)

    from compose.summary import print_read_model_summary

    console.rule("summary")
    print_read_model_summary(console, url, day_started)
    if report is not None:
        print_report(report, console)
    else:
        console.print("compare the read model with the event store: .venv/bin/zaiko audit")
    if not settled:
        console.print("[yellow]the read model was still moving at the deadline[/]")
    for phase, seconds in times.phases.items():
        console.print(f"  {phase:<36} {seconds:7.1f} s")
    console.print(f"  {'total':<36} {sum(times.phases.values()):7.1f} s")
    console.print(ratio_line(loaded))
    print_where(console, stack)
    differs = report is not None and bool(report.differences)
    return 1 if differs or run.unanswered or loaded.unanswered or not settled else 0


def journal_lost(stack: Stack) -> bool:
    """Return True when an embedded moto is about to start empty over a kept read model.

    moto keeps the journal in memory only, while the embedded PostgreSQL keeps its
    data across ``stack down``/``up``: a read model without its journal would skip
    the reloaded events as already applied and drift from the truth."""
    dynamodb, postgres = stack.dynamodb, stack.postgres
    return (dynamodb.embedded and dynamodb.record() is None and postgres.embedded
            and (postgres.data_dir / "PG_VERSION").exists())  # fmt: skip


def wait_until_settled(database_url: str, timeout_s: float, quiet_s: float = 3.0) -> bool:
    """Wait until no stock is in transit and the projections' positions hold still for
    ``quiet_s``; False at the deadline.

    The outcomes say the journal is written; the transfer manager's later steps, the
    bridge and the projector follow asynchronously."""
    deadline = time.monotonic() + timeout_s
    last, still_since = None, time.monotonic()
    with psycopg.connect(with_timeouts(database_url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            now = conn.execute(POSITIONS).fetchone()
            if now != last:
                last, still_since = now, time.monotonic()
            elif time.monotonic() - still_since >= quiet_s:
                in_transit = conn.execute(IN_TRANSIT).fetchone()
                if in_transit is not None and in_transit[0] == 0:
                    return True
            time.sleep(0.5)
    return False


def print_where(console: Console, stack: Stack) -> None:
    """Print where the GraphQL APIs are, how to stop everything, the page and the metrics."""
    gateways = [s for s in stack.services if s.health_url]
    console.rule("running")
    for service in gateways:
        console.print(f"  {service.name:<16} {service.url}  (GraphiQL: open in a browser)")
    console.print("  stop everything:  make stop   (or: .venv/bin/zaiko stack down)")
    console.print(f"  operations page:  http://127.0.0.1:{stack.settings.query_api_port}/")
    for service in stack.services:
        if service.metrics_url:
            console.print(f"  metrics {service.name:<16} {service.metrics_url}")
