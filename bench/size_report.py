"""Print ``zaiko bench commands --prefill``: fresh and at size side by side, from one run."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bench.report import TARGET_P99_MS, TARGET_RATIO
from bench.size import SizeRun

SAME_WITHIN = 0.8  # at-size/fresh quotient counted as "no degradation" (noise on 2 cores)


def _q(fresh: float | None, sized: float | None, higher_is_better: bool = True) -> str:
    if not fresh or sized is None:
        return ""
    q = sized / fresh
    ok = q >= SAME_WITHIN if higher_is_better else q <= 1 / SAME_WITHIN
    return f"{q:.2f} " + ("[green]same[/]" if ok else "[red]worse[/]")


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def print_sizes(run: SizeRun, commands: int) -> None:
    """Print one table: each figure fresh, at size, and the at-size/fresh quotient."""
    f, s = run.fresh, run.sized
    table = Table(title=f"zaiko bench commands --prefill {s.items:,}: {commands} commands per "
                  f"phase; prefill took {run.fill_s:.1f} s ({2 * s.items / run.fill_s:,.0f} "
                  f"items/s), bridged and projected in {run.settle_s:.1f} s more")  # fmt: skip
    for column in ("measure", "fresh", f"{s.items:,} entries + outcomes", "at size / fresh"):
        table.add_column(column)
    table.add_row("raw conditional PutItem/s (wire client)", f"{f.rates.put_per_s:,.0f}",
                  f"{s.rates.put_per_s:,.0f}",
                  _q(f.rates.put_per_s, s.rates.put_per_s))  # fmt: skip
    table.add_row("  through boto3", f"{f.rates.boto3_put_per_s:,.0f}",
                  f"{s.rates.boto3_put_per_s:,.0f}",
                  _q(f.rates.boto3_put_per_s, s.rates.boto3_put_per_s))  # fmt: skip
    table.add_row("  DynamoDB server CPU ms per raw PutItem", _ms(f.server_ms_per_put),
                  _ms(s.server_ms_per_put),
                  _q(f.server_ms_per_put, s.server_ms_per_put, higher_is_better=False))  # fmt: skip
    for i, (a, b) in enumerate(zip(f.workloads, s.workloads, strict=True)):
        ra, rb = a.commands_per_s / a.put_per_s, b.commands_per_s / b.put_per_s
        table.add_row(f"[bold]{a.inventories:,} inventories[/]: commands/s end to end",
                      f"{a.commands_per_s:,.0f}", f"{b.commands_per_s:,.0f}",
                      _q(a.commands_per_s, b.commands_per_s))  # fmt: skip
        table.add_row(f"  ratio to raw PutItem (target ≥ {TARGET_RATIO})", f"{ra:.2f}",
                      f"{rb:.2f}", _q(ra, rb))  # fmt: skip
        table.add_row("  rejected", str(a.rejected), str(b.rejected), "")
        table.add_row(f"  paced at {a.paced_share:g}× raw: target / achieved cmd/s",
                      f"{a.paced_target:,.0f} / {a.paced_rate:,.0f}",
                      f"{b.paced_target:,.0f} / {b.paced_rate:,.0f}", "")  # fmt: skip
        table.add_row("  p50 / p99 ms produced→outcome (p99 target ≤ "
                      f"{TARGET_P99_MS:.0f})", f"{a.p50_ms:.0f} / {a.p99_ms:.0f}",
                      f"{b.p50_ms:.0f} / {b.p99_ms:.0f}", "")  # fmt: skip
        table.add_row("  DynamoDB server CPU ms per command", _ms(f.server_ms_per_command[i]),
                      _ms(s.server_ms_per_command[i]),
                      _q(f.server_ms_per_command[i], s.server_ms_per_command[i],
                         higher_is_better=False))  # fmt: skip
    Console().print(table)
