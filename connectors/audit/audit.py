"""Run the audit: scan the journal, read the read model, compare, and print the findings."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table

from connectors.audit.compare import Difference, compare, unreadable_differences
from connectors.audit.journal import scan_journal
from connectors.audit.readmodel import read_model
from connectors.dynamodb.client import SCAN_CONFIG, dynamodb_client
from connectors.dynamodb.tables import JOURNAL
from connectors.eventstore.errors import UnreadableItemError
from connectors.postgres.conninfo import LONG, with_timeouts
from connectors.settings import ZaikoSettings


@dataclass(frozen=True)
class AuditReport:
    """The differences found, and how much was compared."""

    differences: list[Difference]
    aggregates: int
    rows: int
    seconds: float


def run_audit(
    settings: ZaikoSettings, match: str | None = None, segments: int = 8, client: Any = None,
    progress: Callable[[str], object] | None = None,
) -> AuditReport:  # fmt: skip
    """Compare the read model with the event store (aggregates whose id matches ``match``).

    ``progress`` is told what the audit is doing (items of the journal read so far, ...).
    """
    started = time.monotonic()
    pattern = re.compile(match) if match else None
    client = client or dynamodb_client(settings, config=SCAN_CONFIG)
    unreadable: list[UnreadableItemError] = []
    journal = scan_journal(client, JOURNAL.name(settings.table_prefix), segments, pattern,
                           unreadable, _ItemsRead(progress) if progress else None)  # fmt: skip
    if progress is not None:
        progress(f"reading the read model ({len(journal):,} aggregates in the journal)")
    with psycopg.connect(
        with_timeouts(settings.effective_database_url, LONG), autocommit=True
    ) as conn:
        model = read_model(conn, pattern)
    differences = [*unreadable_differences(unreadable), *compare(journal, model)]
    rows = sum(len(ids) for ids in model.rows.values())
    return AuditReport(differences, len(journal), rows, time.monotonic() - started)


class _ItemsRead:
    """Sum the items the Scan's threads read and report the running total."""

    def __init__(self, progress: Callable[[str], object]) -> None:
        self._progress = progress
        self._items = 0
        self._lock = threading.Lock()

    def __call__(self, items: int) -> None:
        with self._lock:
            self._items += items
            self._progress(f"scanning the journal: {self._items:,} items read")


def print_report(report: AuditReport, console: Console, limit: int = 50) -> None:
    """Print a summary and the first ``limit`` differences as a table."""
    if not report.differences:
        console.print(f"[green]差異なし[/] (no differences): {report.aggregates} aggregates, "
                      f"{report.rows} read-model rows, {report.seconds:.1f} s")  # fmt: skip
        return
    per_check = Counter(d.check for d in report.differences)
    summary = ", ".join(f"{check} {n}" for check, n in sorted(per_check.items()))
    console.print(f"[bold red]{len(report.differences)} 件の差異[/] ({summary}); "
                  f"{report.aggregates} aggregates, {report.seconds:.1f} s")  # fmt: skip
    table = Table(title="監査結果 (event store vs read model)")
    for column in ("検査", "対象", "イベントストア", "読み取りモデル"):
        table.add_column(column, overflow="fold")
    for d in report.differences[:limit]:
        table.add_row(d.check, d.subject, d.event_store, d.read_model)
    console.print(table)
    if len(report.differences) > limit:
        console.print(f"… and {len(report.differences) - limit} more (--limit)")
