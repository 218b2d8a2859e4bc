"""Print the command benchmark's figures as a rich table, with PASS/MISS against targets."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bench.commands import Figures
from bench.latency import TARGET_P99_MS
from connectors.metrics.requests_table import requests_table

TARGET_RATIO = 0.8
__all__ = ["TARGET_P99_MS", "TARGET_RATIO", "print_figures", "verdict"]


OVERLOADED = 0.98  # achieved paced rate / flood peak at which the queue cannot drain


def verdict(ok: bool) -> str:
    return "[green]PASS[/]" if ok else "[red]MISS[/]"


def print_figures(f: Figures, commands: int) -> None:
    """Print one workload's four figures and whether the targets are met (never fails the run)."""
    ratio = f.commands_per_s / f.put_per_s if f.put_per_s else 0.0
    title = f"zaiko bench commands: {commands} commands per phase over {f.inventories} inventories"
    table = Table(title=title)
    for column in ("measure", "value", "target", "verdict"):
        table.add_column(column)
    table.add_row("(1) conditional PutItem/s (serial, raw)", f"{f.put_per_s:,.0f}", "", "")
    table.add_row("    the same through boto3 (not used in (3))", f"{f.boto3_put_per_s:,.0f}",
                  "", "")  # fmt: skip
    table.add_row("(2) commands/s end to end (produced→outcome)", f"{f.commands_per_s:,.0f}",
                  "", "")  # fmt: skip
    table.add_row("    rejected outcomes in (2)", str(f.rejected), "0", verdict(f.rejected == 0))
    table.add_row("(3) ratio (2)/(1)", f"{ratio:.2f}", f"≥ {TARGET_RATIO}",
                  verdict(ratio >= TARGET_RATIO))  # fmt: skip
    lat = f.latency
    table.add_row(f"(4) paced at {f.paced_share:g}× (1): target / achieved cmd/s",
                  f"{f.paced_target:,.0f} / {f.paced_rate:,.0f}", "", "")  # fmt: skip
    load = f.paced_rate / f.commands_per_s if f.commands_per_s else 0.0
    table.add_row("    achieved / (2): how near the peak it ran", f"{load:.2f}", "", "")
    table.add_row("    commands sent (latency samples)", f"{lat.samples:,}", "", "")
    table.add_row("    p50 latency produced→outcome", f"{lat.p50_ms:.1f} ms", "", "")
    # at or past the flood's peak the queue only grows: the percentiles then measure how
    # many commands were sent, not latency
    overloaded = load >= OVERLOADED
    table.add_row("    p99 latency produced→outcome", f"{lat.p99_ms:.1f} ms",
                  f"≤ {TARGET_P99_MS:.0f} ms",
                  "[red]MISS (overloaded)[/]" if overloaded else verdict(lat.p99_met))  # fmt: skip
    table.add_row(f"    p999 latency produced→outcome ({lat.above_p999} of {lat.samples:,} "
                  "slower)", f"{lat.p999_ms:.1f} ms", "", "")  # fmt: skip
    console = Console()
    console.print(table)
    if overloaded:
        console.print(f"[yellow]the paced run ({f.paced_rate:,.0f}/s) ran at or past the flood's "
                      f"peak ({f.commands_per_s:,.0f}/s): its percentiles are a growing queue, "
                      "not this pipeline's latency at that load[/]")  # fmt: skip
    if f.requests is not None:
        title = f"DynamoDB requests during (2) and (4), {f.inventories} inventories"
        console.print(requests_table(f.requests, f.accepted, title))
