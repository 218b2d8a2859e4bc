"""What ``zaiko replay`` does (compose/cli.py calls ``run_replay``): progress, report, exit code."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from connectors.dynamodb.client import SCAN_CONFIG, dynamodb_client
from connectors.dynamodb.epoch import read_epoch
from connectors.dynamodb.tables import JOURNAL
from connectors.eventstore.dynamodb_store import DynamoDBEventStore
from connectors.redis import redis_client
from connectors.replay.compare import describe
from connectors.replay.journal import journal_batches, load_journal_events
from connectors.replay.projection import PARK_AFTER_ATTEMPTS, ReplayTarget
from connectors.replay.rebuild import ReplayReport, rebuild
from connectors.replay.topics import Batch, read_batches
from connectors.settings import ZaikoSettings


def _columns() -> tuple[ProgressColumn, ...]:
    return (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TaskProgressColumn(), TimeElapsedColumn(), TimeRemainingColumn())  # fmt: skip


def run_replay(
    settings: ZaikoSettings | None = None,
    *,
    swap: bool = False,
    from_event_store: bool = False,
    keep_backup: bool = True,
    batch_events: int = 20_000,
    segments: int = 4,
    attempts: int = PARK_AFTER_ATTEMPTS,
) -> ReplayReport:
    """Rebuild the read model from the topics (or the journal), compare it, swap on request.

    ``attempts``: tries of an event the read model refuses before its aggregate is parked.
    """
    settings = settings or ZaikoSettings()
    console = Console(stderr=True)
    client = dynamodb_client(settings, config=SCAN_CONFIG)
    journal_table = JOURNAL.name(settings.table_prefix)
    target = ReplayTarget(
        settings.effective_database_url,
        redis=redis_client(settings),
        event_store=DynamoDBEventStore(client, journal_table),
    )
    with Progress(*_columns(), console=console) as progress:
        reading = progress.add_task("reading", total=None)
        applying = progress.add_task("projecting", total=None)

        def on_read(done: int, total: int) -> None:
            progress.update(reading, completed=done, total=total)
            progress.update(applying, total=total)

        batches: Iterable[Batch]
        if from_event_store:
            # read before the scan: a swap then refuses if the journal started over since
            target.journal_epoch = read_epoch(client, settings.table_prefix)
            target.read_journal_epoch = lambda: read_epoch(client, settings.table_prefix)
            progress.update(reading, description=f"scanning {journal_table}")
            grouped = load_journal_events(client, journal_table, segments)
            batches = journal_batches(grouped, batch_events, on_read)
        else:
            progress.update(reading, description="reading event topics")
            batches = read_batches(settings.kafka_bootstrap_servers, None, batch_events,
                                   on_progress=on_read)  # fmt: skip
        report = rebuild(target, batches, swap, keep_backup,
                         on_applied=lambda n: progress.advance(applying, n),
                         attempts=attempts)  # fmt: skip
    _print(console, report)
    return report


def _print(console: Console, report: ReplayReport) -> None:
    stats = report.stats
    console.print(
        f"projected {stats.applied} event(s) into schema {report.shadow}"
        f" ({stats.skipped} duplicate(s) skipped, {stats.gaps_healed} gap(s) healed)"
    )
    _print_parked(console, report)
    comparison = report.comparison
    assert comparison is not None
    table = Table(title=f"{comparison.left} (live) vs {comparison.right} (rebuilt)")
    for column in ("table", "live rows", "rebuilt rows", "content"):
        table.add_column(column)
    for name, (live, rebuilt) in comparison.tables.items():
        same = "[green]equal[/]" if live == rebuilt else "[red]differs[/]"
        table.add_row(name, str(live.rows), str(rebuilt.rows), same)
    console.print(table)
    for line in describe(comparison):
        console.print(line)
    if report.swapped:
        kept = f"the old one is kept as schema {report.backup}" if report.backup else "dropped"
        console.print(f"swapped: the rebuilt model is live; {kept}")
        console.print(f"journal epoch of the live model: {report.epoch or 'not recorded'}")
        console.print(f"cache rebuilt: {report.cache_entries} entries")
    else:
        console.print(f"not swapped (use --swap); the rebuilt model stays in {report.shadow}")


def _print_parked(console: Console, report: ReplayReport, shown: int = 20) -> None:
    if not report.parked:
        return
    console.print(
        f"[bold yellow]parked {len(report.parked)} aggregate(s)[/] whose events the read model"
        f" refuses ({report.held_back} event(s) not applied; 投影保留 of {report.shadow}):"
    )
    for p in report.parked[:shown]:
        console.print(f"  {p.aggregate_id} ({p.aggregate_type}) at sequence {p.sequence_nr}:"
                      f" {p.reason}")  # fmt: skip
    if len(report.parked) > shown:
        console.print(f"  … and {len(report.parked) - shown} more")
