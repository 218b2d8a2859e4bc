"""``zaiko load``: D商事's companies and thresholds to Postgres, everything else as commands.

Phases run in dependency order (warehouses, zones, products + customers, inventories,
initial receipts); within a phase every command is in flight at once (bounded window)
and the phase ends when each has its outcome on ``command.results``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from connectors.metrics.requests import RequestMeter, Usage
from schemas.envelope import now_millis
from simulation.load_plan import ZONES_PHASE, plan
from simulation.masterdata import generate
from simulation.model import MasterDataSpec
from simulation.outcomes import Answer, OutcomeWatch
from simulation.pipeline import record_of, send_and_await
from simulation.postgres import Upserted, upsert_companies, upsert_thresholds
from simulation.producer import make_producer
from simulation.tally import Tally, tally_of
from simulation.wire import answer_from_codec


@dataclass(frozen=True)
class LoadOptions:
    bootstrap: str
    database_url: str | None  # None: skip the two Postgres masters
    window: int = 2000
    stall_timeout_s: float = 300.0  # a busy worker may pause for minutes; wait, don't abort
    threshold_wait_s: float = 30.0


@dataclass
class LoadReport:
    tally: Tally = field(default_factory=Tally)
    phase_seconds: dict[str, float] = field(default_factory=dict)
    unanswered: set[str] = field(default_factory=set)
    answers: dict[str, Answer] = field(default_factory=dict)
    companies: Upserted | None = None
    thresholds: Upserted | None = None
    seconds: float = 0.0
    raw_put_per_s: float | None = None  # conditional PutItem/s measured just before
    requests: Usage | None = None  # DynamoDB requests the load made every process send


def run_load(
    spec: MasterDataSpec,
    options: LoadOptions,
    console: Console,
    raw_rate: Callable[[], float] | None = None,
    meter: RequestMeter | None = None,
) -> LoadReport:
    """Load the master data of ``spec``; return what was sent and what became of it.

    ``raw_rate`` measures the raw conditional PutItem rate right before the load starts;
    ``meter`` counts the DynamoDB requests from the start to the last outcome.
    """
    report = LoadReport()
    if raw_rate is not None:
        with console.status("measuring the raw conditional PutItem rate"):
            report.raw_put_per_s = raw_rate()
    if meter is not None:
        meter.start()
    started_at, started = now_millis(), time.monotonic()
    data = generate(spec)
    if options.database_url:
        report.companies = upsert_companies(options.database_url, data.companies)
    phases = plan(data, started_at)
    watch = OutcomeWatch(options.bootstrap, answer_from_codec)
    producer = make_producer(options.bootstrap)
    try:
        with _progress(console) as bars:
            tasks = [bars.add_task(p.name, total=len(p.envelopes)) for p in phases]
            for phase, task in zip(phases, tasks, strict=True):
                phase_start = time.monotonic()
                records = [record_of(e) for e in phase.envelopes]
                missing = send_and_await(
                    producer, watch, records, window=options.window,
                    stall_timeout_s=options.stall_timeout_s,
                    progress=partial(_advance, bars, task),
                )  # fmt: skip
                report.phase_seconds[phase.name] = time.monotonic() - phase_start
                labels = {r.command_id: r.command_type for r in records}
                # an outcome completed before its command was sent belongs to an earlier
                # run; the run's start would be too coarse when runs follow each other
                sent = {c: started_at + dt.timedelta(seconds=watch.sent_at(c) - started)
                        for c in labels if c in watch.answers}  # fmt: skip
                _merge(report.tally, tally_of(labels, watch.answers, sent))
                report.unanswered |= missing
                if missing:
                    console.print(f"[red]{len(missing)} command(s) of {phase.name} unanswered;"
                                  " later phases skipped[/]")  # fmt: skip
                    break
                if phase.name == ZONES_PHASE and options.database_url:
                    # before any stock moves: the projector's detector must never judge
                    # (and cache) a zone against the default threshold in the meantime
                    report.thresholds = upsert_thresholds(
                        options.database_url, data.zones, options.threshold_wait_s
                    )
        if meter is not None:
            report.requests = meter.stop()
        report.answers = dict(watch.answers)
        if note := watch.error_note():
            console.print(note)
    finally:
        watch.close()
    report.seconds = time.monotonic() - started
    return report


def _advance(bars: Progress, task: TaskID, completed: int) -> None:
    bars.update(task, completed=completed)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console,
    )  # fmt: skip


def _merge(into: Tally, other: Tally) -> None:
    for label, row in other.rows.items():
        into.rows[label] = row
