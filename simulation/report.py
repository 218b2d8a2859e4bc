"""Print a played day: what was sent, the outcomes, the anomalies, throughput and latency."""

from __future__ import annotations

from collections import Counter, defaultdict

from rich.console import Console
from rich.table import Table

from connectors.metrics.requests_table import requests_table
from simulation.findings import expectations, mix, outcome_tally, throughput
from simulation.movement import hhmm
from simulation.simulate import SimulationRun

KIND_LABELS = {
    "normal": "通常 normal",
    "shortage": "在庫不足 shortage",
    "competing": "引当競合 competing reservations",
    "violation": "保管条件違反 storage violation",
    "misplaced-transfer": "区画移動（誤り） misplaced zone transfer",
}


def sent_table(run: SimulationRun) -> Table:
    """Movements sent per channel and command type."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for m in run.day.movements:
        per[m.channel][m.command] += 1
    commands = sorted({m.command for m in run.day.movements})
    table = Table(title=f"送信 sent: day {run.day.spec.day} ({len(run.day.movements)} movements)")
    table.add_column("channel", no_wrap=True)
    for command in commands:
        table.add_column(command, justify="right")
    table.add_column("total", justify="right")
    for channel, counts in sorted(per.items()):
        table.add_row(channel, *(str(counts[c] or "") for c in commands), str(sum(counts.values())))
    return table


def mix_table(run: SimulationRun) -> Table:
    """Movements by warehouse, zone type and category."""
    counts = mix(run)
    table = Table(title="mix")
    table.add_column("dimension", no_wrap=True)
    table.add_column("movements")
    for dimension in ("warehouse", "zone type", "category"):
        values = ", ".join(f"{k} {n}" for k, n in sorted(counts[dimension].items()))
        table.add_row(dimension, values)
    if run.day.movements:
        span = f"{hhmm(run.day.movements[0].at_s)}-{hhmm(run.day.movements[-1].at_s)}"
        table.add_row("business hours", span)
    return table


def anomaly_table(run: SimulationRun) -> Table:
    """Each kind of movement: sent, as expected, and the outcomes seen."""
    table = Table(title="想定どおり? outcomes against expectations")
    for column in ("kind", "sent", "as expected", "outcomes"):
        table.add_column(column, justify="right" if column in ("sent", "as expected") else "left")
    for kind, row in expectations(run).items():
        seen = ", ".join(f"{code} {n}" for code, n in row.outcomes.most_common())
        ok = "green" if row.as_expected == row.sent else "red"
        table.add_row(KIND_LABELS.get(kind, kind), str(row.sent),
                      f"[{ok}]{row.as_expected}[/]", seen)  # fmt: skip
    return table


def print_run(console: Console, run: SimulationRun) -> None:
    """Print every table of a played day and the throughput line."""
    console.print(sent_table(run))
    console.print(mix_table(run))
    console.print(outcome_tally(run).table("結果 outcomes by command"))
    console.print(anomaly_table(run))
    figures = throughput(run)
    console.print(
        f"{figures.commands} outcomes in {figures.seconds:.1f}s ({figures.per_s:.1f} commands/s); "
        f"send→outcome median {figures.median_ms:.0f} ms, p99 {figures.p99_ms:.0f} ms; "
        f"sending took {run.send_seconds:.1f}s"
    )
    if run.requests is not None:
        accepted = sum(1 for a in run.answers.values() if a.accepted)
        console.print(requests_table(run.requests, accepted, "DynamoDB requests during the day"))
    if run.unanswered:
        console.print(f"[red]{len(run.unanswered)} movement(s) got no outcome[/]")
    if run.undelivered:
        console.print(f"[red]{run.undelivered} message(s) not acknowledged by Kafka[/]")
