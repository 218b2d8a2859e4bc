"""Print ``zaiko bench workers``: one worker against two in one group, from one run."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bench.report import verdict
from bench.workers import Phase, Share, WorkersRun, split

NAMES = ("worker 1", "worker 2")


def _partitions(held: frozenset[int]) -> str:
    return ",".join(str(p) for p in sorted(held)) or "none"


def _share(s: Share | None, commands: int) -> str:
    if s is None:
        return "–"
    cpu = "" if s.cpu_s is None else f"; CPU {s.cpu_s:.1f} s"
    return f"partitions {_partitions(s.partitions)}; answered {s.answered:,} of {commands:,}{cpu}"


def _cpu(seconds: float | None, commands: int) -> str:
    return "n/a" if seconds is None else f"{seconds:.1f} s ({seconds / commands * 1000:.2f} ms/cmd)"


def _requests(phase: Phase, commands: int) -> str:
    ops = sorted(phase.requests.per_command(commands).items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(n for _, n in ops)
    return f"{total:.3f}: " + ", ".join(f"{op} {n:.3f}" for op, n in ops if n >= 0.0005)


def _answered_once(phase: Phase, commands: int) -> bool:
    return sum(s.answered for s in phase.shares) == commands


def print_workers(run: WorkersRun) -> None:
    """Print both floods side by side, the split and whether each command was answered once."""
    one, two, n = run.one, run.two, run.commands
    table = Table(title=f"zaiko bench workers: {n:,} receipts per flood over {run.inventories:,} "
                  f"inventories; inventory.commands has {run.partitions} partitions")  # fmt: skip
    for column in ("measure", "one worker", "two workers, one group"):
        table.add_column(column)
    raw = run.raw.put_per_s
    table.add_row("conditional PutItem/s (serial, raw; reference)", f"{raw:,.0f}", "")
    table.add_row("commands/s end to end (produced→outcome)", f"{one.per_s:,.0f}",
                  f"{two.per_s:,.0f} ({two.per_s / one.per_s:.2f}× one worker)")  # fmt: skip
    table.add_row("  ratio to raw PutItem", f"{one.per_s / raw:.2f}", f"{two.per_s / raw:.2f}")
    table.add_row("  rejected", str(one.rejected), str(two.rejected))
    for i, name in enumerate(NAMES):
        shares = [p.shares[i] if i < len(p.shares) else None for p in (one, two)]
        table.add_row(name, *(_share(s, n) for s in shares))
    table.add_row("embedded DynamoDB CPU", _cpu(one.server_cpu_s, n), _cpu(two.server_cpu_s, n))
    table.add_row("workers' DynamoDB requests per command", _requests(one, n), _requests(two, n))
    held = [s.partitions for s in two.shares]
    table.add_row("partitions split (each some, none twice, all held)", "",
                  f"{verdict(split(held, run.partitions))} (settled {run.split_s:.1f} s "
                  "after the second worker started)")  # fmt: skip
    table.add_row("every command answered once (answers = commands)",
                  verdict(_answered_once(one, n)), verdict(_answered_once(two, n)))  # fmt: skip
    Console().print(table)
