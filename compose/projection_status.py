"""The projector's lines in ``zaiko stack status``: parked aggregates and cache debt.

Read from PostgreSQL (投影保留, キャッシュ未反映), so they show whichever projector
parked what, also one the stack did not start. Cost: a count of each table and the
first ``limit`` parked rows; a short connect and statement timeout keeps the status
quick when PostgreSQL is down.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

CACHE_DEBT = "SELECT count(*) FROM キャッシュ未反映"


def projection_status(database_url: str, limit: int = 20) -> dict[str, Any]:
    """Return {"parked": n, "aggregates": [first ``limit``], "cache_debt": m} (or an error)."""
    import psycopg  # here: the CLI starts without it

    from connectors.postgres.conninfo import Timeouts, with_timeouts
    from connectors.postgres.parking import list_parked, parked_count

    quick = Timeouts(connect_s=2, statement_ms=2000, lock_ms=1000, idle_in_transaction_ms=5000)
    try:
        with psycopg.connect(with_timeouts(database_url, quick), autocommit=True) as conn:
            count = parked_count(conn)
            rows = list_parked(conn, limit) if count else []
            debt_row = conn.execute(CACHE_DEBT).fetchone()
    except psycopg.Error as e:
        return {"parked": None, "aggregates": [], "cache_debt": None, "error": str(e).strip()}
    debt = int(debt_row[0]) if debt_row else 0
    return {"parked": count, "aggregates": [p.as_json() for p in rows], "cache_debt": debt}


def add_projection_row(table: Table, status: dict[str, Any]) -> None:
    """Add the projection's line to the status table (columns: component … mode)."""
    if status.get("parked") is None:
        health = f"[yellow]unknown[/] {status.get('error', '')[:120]}"
    elif status["parked"]:
        health = f"[red]{status['parked']} parked[/] (zaiko projector parked)"
    else:
        health = "[green]0 parked[/]"
    if status.get("cache_debt"):
        health += f", [yellow]cache debt {status['cache_debt']}[/]"
    table.add_row("projection", "投影保留", health, "-", "-")


def print_parked(console: Console, status: dict[str, Any]) -> None:
    """Print one line per parked aggregate listed in ``status`` (none when there are none)."""
    for p in status.get("aggregates", []):
        console.print(f"  [red]parked[/] {p['aggregate_id']} at {p['sequence_nr']} "
                      f"(event {p['event_id']}, {p['attempts']} attempts): {p['reason']}",
                      highlight=False)  # fmt: skip
    shown, total = len(status.get("aggregates", [])), status.get("parked") or 0
    if total > shown:
        console.print(f"  … and {total - shown} more (zaiko projector parked)")
