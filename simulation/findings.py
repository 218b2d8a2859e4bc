"""What a played day shows: outcomes vs expectations, the mix, throughput and latency."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from simulation.movement import ACCEPTED, Movement
from simulation.simulate import SimulationRun
from simulation.tally import Tally, median, percentile


@dataclass
class Expectation:
    """How the movements of one kind turned out against what the day's author expected."""

    kind: str
    sent: int = 0
    as_expected: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    surprises: list[str] = field(default_factory=list)  # command ids


def outcome_of(run: SimulationRun, movement: Movement) -> str:
    """Return ACCEPTED, the rejection code, or NO_OUTCOME."""
    answer = run.answers.get(movement.command_id)
    if answer is None:
        return "NO_OUTCOME"
    return ACCEPTED if answer.accepted else answer.error_code or "UNKNOWN"


def expectations(run: SimulationRun) -> dict[str, Expectation]:
    """Compare every movement's outcome with its expectation, per kind.

    A contest (competing reservations) is as expected when exactly one of its
    reservations was accepted and the others were refused with the expected code.
    """
    result: dict[str, Expectation] = {}
    contests: dict[str, list[Movement]] = defaultdict(list)
    for m in run.day.movements:
        row = result.setdefault(m.kind, Expectation(m.kind))
        row.sent += 1
        seen = outcome_of(run, m)
        row.outcomes[seen] += 1
        if m.contest is not None:
            contests[m.contest].append(m)
        elif seen == m.expect:
            row.as_expected += 1
        else:
            row.surprises.append(m.command_id)
    for members in contests.values():
        row = result[members[0].kind]
        got = [outcome_of(run, m) for m in members]
        expected = all(g in (ACCEPTED, m.expect) for g, m in zip(got, members, strict=True))
        if got.count(ACCEPTED) == 1 and expected:
            row.as_expected += len(members)
        else:
            row.surprises += [m.command_id for m in members]
    return result


def outcome_tally(run: SimulationRun) -> Tally:
    """Tally outcomes by command type."""
    tally = Tally()
    for m in run.day.movements:
        tally.add(m.command, run.answers.get(m.command_id), run.started_at)
    return tally


def latencies_ms(run: SimulationRun) -> list[float]:
    """Return send-to-outcome times in milliseconds of every answered movement."""
    return [
        (answer.arrived - run.sent_at[command_id]) * 1000
        for command_id, answer in run.answers.items()
        if command_id in run.sent_at
    ]


@dataclass(frozen=True)
class Throughput:
    commands: int
    seconds: float
    per_s: float
    median_ms: float
    p99_ms: float


def throughput(run: SimulationRun) -> Throughput:
    """Return commands per second from the first send to the last outcome, and latency."""
    if not run.answers or not run.sent_at:
        return Throughput(0, 0.0, 0.0, 0.0, 0.0)
    first = min(run.sent_at.values())
    last = max(a.arrived for a in run.answers.values())
    seconds = max(last - first, 1e-9)
    lat = latencies_ms(run)
    return Throughput(len(run.answers), seconds, len(run.answers) / seconds,
                      median(lat), percentile(lat, 0.99))  # fmt: skip


def mix(run: SimulationRun) -> dict[str, Counter[str]]:
    """Count movements by channel, command, warehouse, zone type and category."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for m in run.day.movements:
        counts["channel"][m.channel] += 1
        counts["command"][m.command] += 1
        counts["warehouse"][m.warehouse_id] += 1
        counts["zone type"][m.zone_type] += 1
        counts["category"][m.category] += 1
    return counts
