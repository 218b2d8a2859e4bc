"""Print what ``zaiko load`` did: Postgres masters, outcomes, requests, the ratio line."""

from __future__ import annotations

from rich.console import Console

from connectors.metrics.requests_table import requests_table
from simulation.load import LoadReport
from simulation.model import MasterDataSpec


def print_report(console: Console, spec: MasterDataSpec, report: LoadReport) -> None:
    """Print the load's summary: Postgres masters, command outcomes, timings."""
    if report.companies:
        c = report.companies
        console.print(f"企業: {c.inserted} inserted, {c.updated} updated, {c.unchanged} unchanged")
    if report.thresholds:
        t = report.thresholds
        console.print(f"区画別在庫閾値: {t.inserted} inserted, {t.unchanged} kept"
                      + (f", [yellow]{t.deferred} deferred (zones not projected yet; "
                         "run zaiko load again later)[/]" if t.deferred else ""))  # fmt: skip
    console.print(report.tally.table(f"zaiko load (seed {spec.seed}, {spec.products} products)"))
    if report.requests is not None:
        title = "DynamoDB requests during zaiko load"
        console.print(requests_table(report.requests, report.tally.total.accepted, title))
    phases = ", ".join(f"{name} {s:.1f}s" for name, s in report.phase_seconds.items())
    console.print(f"phases: {phases}")
    console.print(ratio_line(report))


def ratio_line(report: LoadReport) -> str:
    """Return the load's one-line figure: commands, seconds, rate and its ratio to raw PutItem."""
    return format_ratio("load", report.tally.total.sent, report.seconds, report.raw_put_per_s)


def format_ratio(label: str, commands: int, seconds: float, raw_put_per_s: float | None) -> str:
    """Return ``load: 24,442 commands in 38.2 s (640/s) = 0.69× raw PutItem (925/s, this run)``."""
    rate = commands / seconds if seconds > 0 else 0.0
    line = f"{label}: {commands:,} commands in {seconds:.1f} s ({rate:,.0f}/s)"
    if raw_put_per_s:
        line += f" = {rate / raw_put_per_s:.2f}× raw PutItem ({raw_put_per_s:,.0f}/s, this run)"
    return line
