"""``zaiko projector [parked | retry <aggregate>]``: run the projector, or act on its parking."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

projector_app = typer.Typer(
    help="The projection agents (read model, cache, low-stock alerts) and parked aggregates.",
    invoke_without_command=True,
)


@projector_app.callback()
def projector(ctx: typer.Context) -> None:
    """Run the projection agents until SIGTERM/SIGINT (without a subcommand)."""
    if ctx.invoked_subcommand is None:
        from streams.projector.main import run_projector

        run_projector()


@projector_app.command("parked")
def parked(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the aggregates the projector parked (投影保留), oldest first."""
    import psycopg

    from connectors.postgres.conninfo import with_timeouts
    from connectors.postgres.parking import list_parked
    from streams.projector.settings import ProjectorSettings

    url = with_timeouts(ProjectorSettings().effective_database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        rows = list_parked(conn)
    if as_json:
        typer.echo(json.dumps([p.as_json() for p in rows], ensure_ascii=False, indent=2))
        return
    out = Console()
    if not rows:
        out.print("[green]投影保留なし[/] (no parked aggregates)")
        return
    table = Table(title=f"投影保留 (parked aggregates): {len(rows)}")
    for column in ("集約ID", "集約種別", "保留シーケンス番号", "イベントID", "試行回数", "保留日時",
                   "理由"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for p in rows:
        at = p.parked_at.isoformat(timespec="seconds")
        table.add_row(p.aggregate_id, p.aggregate_type, str(p.sequence_nr), p.event_id,
                      str(p.attempts), at, p.reason)  # fmt: skip
    out.print(table)
    out.print("re-project one with: zaiko projector retry <集約ID>")


@projector_app.command("retry")
def retry(aggregate_id: str = typer.Argument(..., help="The parked aggregate's id.")) -> None:
    """Re-project a parked aggregate from the event store; unpark it when all of it applies.

    Exit code 0: unparked; 1: still parked (the new reason is shown); 2: it was not parked.
    """
    import psycopg

    from connectors.notifications import published
    from connectors.postgres.conninfo import with_timeouts
    from connectors.postgres.parking import find_parked
    from streams.projector.bootstrap import build_clients, handler_factory
    from streams.projector.operations import NotParkedError, produce
    from streams.projector.operations import retry as run_retry
    from streams.projector.settings import ProjectorSettings

    out = Console()
    settings = ProjectorSettings()
    with psycopg.connect(with_timeouts(settings.effective_database_url), autocommit=True) as conn:
        found = find_parked(conn, aggregate_id)
    if found is None:
        out.print(f"[yellow]{aggregate_id} is not parked[/]")
        raise typer.Exit(2)
    clients = build_clients(settings)
    handler = handler_factory(settings, clients, found.aggregate_type)()
    try:
        report = run_retry(handler, clients.store, aggregate_id)
    except NotParkedError:
        out.print(f"[yellow]{aggregate_id} is not parked[/]")
        raise typer.Exit(2) from None
    finally:
        handler.close()
        clients.debt.close()
    produce(settings.kafka_bootstrap_servers, report.messages)
    for notice in report.notifications:
        published(notice)  # its structured log line
    if report.still_parked is not None:
        p = report.still_parked
        out.print(f"[bold red]{aggregate_id} still parked[/] at sequence {p.sequence_nr} "
                  f"(event {p.event_id}, {p.attempts} attempts): {p.reason}")  # fmt: skip
        raise typer.Exit(1)
    out.print(f"[green]{aggregate_id} unparked[/]: {report.applied} event(s) applied")
