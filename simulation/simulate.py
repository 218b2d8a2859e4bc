"""``zaiko simulate``: the sales channels send one business day; collect what became of it.

Movements go out in time order, each through its own channel's producer. ``speed``
compresses the business day (08:00-20:00): 720 plays it in a minute, 0 sends as fast
as possible. Outcomes are read from ``command.results`` and timed from send to arrival.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from connectors.metrics.requests import RequestMeter, Usage
from schemas.envelope import now_millis
from simulation.channels import CHANNELS, ChannelProducer
from simulation.day import Day, DaySpec, generate_day
from simulation.masterdata import generate
from simulation.model import MasterDataSpec
from simulation.movement import Movement
from simulation.outcomes import Answer, OutcomeWatch
from simulation.wire import answer_from_avro


@dataclass(frozen=True)
class SimulateOptions:
    bootstrap: str
    speed: float = 0.0
    stall_timeout_s: float = 300.0


@dataclass
class SimulationRun:
    """A played day: its movements, their answers and when each was sent."""

    day: Day
    answers: dict[str, Answer] = field(default_factory=dict)
    sent_at: dict[str, float] = field(default_factory=dict)
    started_at: dt.datetime = field(default_factory=now_millis)
    send_seconds: float = 0.0
    seconds: float = 0.0
    undelivered: int = 0
    requests: Usage | None = None  # DynamoDB requests the day made every process send

    @property
    def unanswered(self) -> list[Movement]:
        return [m for m in self.day.movements if m.command_id not in self.answers]


def run_simulation(
    master: MasterDataSpec,
    day_spec: DaySpec,
    options: SimulateOptions,
    console: Console,
    meter: RequestMeter | None = None,
) -> SimulationRun:
    """Play one day against the running worker and wait for every outcome.

    ``meter`` counts the DynamoDB requests from the first movement to the last outcome.
    """
    day = generate_day(generate(master), day_spec)
    run = SimulationRun(day)
    watch = OutcomeWatch(options.bootstrap, answer_from_avro)
    watch.expect(m.command_id for m in day.movements)
    producers = {label: ChannelProducer(c, options.bootstrap) for label, c in CHANNELS.items()}
    if meter is not None:
        meter.start()
    started = time.monotonic()
    try:
        with _progress(console) as bars:
            sending = bars.add_task("送信 sent", total=len(day.movements))
            answered = bars.add_task("結果 outcomes", total=len(day.movements))
            first = day.movements[0].at_s if day.movements else 0.0
            for n, movement in enumerate(day.movements, start=1):
                if options.speed > 0:
                    _sleep_until(started + (movement.at_s - first) / options.speed, producers)
                watch.sent([movement.command_id])  # first: its answer may come back at once
                producers[movement.channel].send(movement, day.correlation_id)
                if n % 50 == 0:
                    bars.update(sending, completed=n)
                    bars.update(answered, completed=len(watch.answers))
                    for p in producers.values():
                        p.poll()
            run.undelivered = sum(p.flush() for p in producers.values())
            bars.update(sending, completed=len(day.movements))
            run.send_seconds = time.monotonic() - started
            _await(watch, day, options.stall_timeout_s,
                   lambda n: bars.update(answered, completed=n))  # fmt: skip
        if meter is not None:
            run.requests = meter.stop()
        run.answers = dict(watch.answers)
        run.sent_at = {m.command_id: watch.sent_at(m.command_id) for m in day.movements}
        run.undelivered += sum(p.failed for p in producers.values())
        if note := watch.error_note():
            console.print(note)
    finally:
        watch.close()
    run.seconds = time.monotonic() - started
    return run


def _sleep_until(moment: float, producers: dict[str, ChannelProducer]) -> None:
    while (left := moment - time.monotonic()) > 0:
        for p in producers.values():
            p.poll()
        time.sleep(min(left, 0.05))


def _await(
    watch: OutcomeWatch, day: Day, stall_timeout_s: float, progress: Callable[[int], None]
) -> None:
    ids = [m.command_id for m in day.movements]
    seen, last_change = -1, time.monotonic()
    while True:
        count = watch.answered(ids)
        if count != seen:
            seen, last_change = count, time.monotonic()
            progress(count)
        if count == len(ids) or time.monotonic() - last_change > stall_timeout_s:
            return
        time.sleep(0.05)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console,
    )  # fmt: skip
