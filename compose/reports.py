"""``zaiko report``: write a report as a CSV file (UTF-8 with BOM) and print it as a table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import psycopg
import typer
from rich.console import Console
from rich.table import Table

from connectors.postgres.conninfo import LONG, with_timeouts
from connectors.reports import (
    Period,
    Report,
    category_stock,
    default_path,
    variance,
    write_csv,
    zone_movements,
)
from connectors.reports.zone_movements import FIRST_FIGURE, JST
from connectors.settings import ZaikoSettings

report_app = typer.Typer(help="Reports (§11.2) as CSV files, printed as tables.",
                         no_args_is_help=True)  # fmt: skip
console = Console(stderr=True)

WIDE = 220  # columns of the printed table when stdout is not a terminal
Out = Annotated[Path | None, typer.Option(
    "--out", dir_okay=False,
    help="CSV file to write (default: ./reports/<report>_<timestamp>.csv).",
)]  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_report(report: Report, out: Console, total_from: int | None = None) -> None:
    """Print ``report`` as a rich table (with a 合計 row summing columns from ``total_from``)."""
    table = Table(title=report.title)
    numeric = [any(isinstance(r[i], int | float) for r in report.rows)
               for i in range(len(report.headers))]  # fmt: skip
    for header, right in zip(report.headers, numeric, strict=True):
        table.add_column(header, justify="right" if right else "left", overflow="fold")
    for row in report.rows:
        table.add_row(*(_cell(v) for v in row))
    if total_from is not None and report.rows:
        sums = [sum(int(r[i] or 0) for r in report.rows)
                for i in range(total_from, len(report.headers))]  # fmt: skip
        table.add_row("合計", *[""] * (total_from - 1), *(_cell(s) for s in sums), style="bold")
    if not report.rows and report.empty_note:
        table.add_row(report.empty_note, *[""] * (len(report.headers) - 1))
    out.print(table)
    for note in report.notes:
        out.print(note)


def _write(report: Report, out_path: Path | None, qualifier: str = "",
           total_from: int | None = None) -> Path:  # fmt: skip
    path = out_path or default_path(report.name, datetime.now(JST), qualifier)
    write_csv(report, path)
    out = Console()
    if not out.is_terminal:  # a pipe or a file: rich would squeeze 16 columns into 80
        out = Console(width=WIDE)
    print_report(report, out, total_from)
    console.print(f"wrote {path}")
    return path


def _from_database(read: Callable[[psycopg.Connection[Any]], Report]) -> Report:
    url = ZaikoSettings().effective_database_url
    with psycopg.connect(with_timeouts(url, LONG), autocommit=True) as conn:
        return read(conn)


@report_app.command("zone-movements")
def zone_movements_report(
    first: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"],
                                            help="First day, included (YYYY-MM-DD, JST).")],
    last: Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"],
                    help="Last day, included (YYYY-MM-DD, JST; default: --from).")] = None,
    out: Out = None,
) -> None:  # fmt: skip
    """区画別受払集計: 受払 per warehouse and zone by kind, 期首/期末在庫, over whole JST days."""
    try:
        period = Period(first.date(), (last or first).date())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--to") from exc
    report = _from_database(lambda conn: zone_movements(conn, period))
    _write(report, out, period.label(), total_from=FIRST_FIGURE)


@report_app.command("category")
def category_report(out: Out = None) -> None:
    """カテゴリ別・保管条件別集計: 在庫数, 引当済, 有効在庫数 and 商品数, with the 食品類 ratio."""
    _write(_from_database(category_stock), out)


@report_app.command("variance")
def variance_report(
    match: str | None = typer.Option(None, "--match", help="Only aggregate ids matching REGEX."),
    segments: int = typer.Option(8, "--segments", min=1, max=64, help="Parallel scan segments."),
    out: Out = None,
) -> None:
    """在庫差異: the read model against the journal (the audit); exit 1 when they differ.

    Without --match the audit Scans the whole journal (minutes at D商事's size on moto).
    """
    from connectors.audit import run_audit

    with console.status("auditing") as spinner:
        audited = run_audit(ZaikoSettings(), match, segments,
                            progress=lambda step: spinner.update(step))  # fmt: skip
    report = variance(audited)
    _write(report, out)
    if report.rows:
        raise typer.Exit(1)


__all__ = ["print_report", "report_app"]
