"""``zaiko bench replay``: project N events into Postgres and compare with raw COPY of the rows.

Runs in a private database on the configured server (created, migrated, dropped). Each
run projects the generated events into a fresh shadow schema through ``project`` - the
very function ``zaiko replay`` uses, in batches of the replay's size - then COPYs the
rows that projection produced (every projected table, generated columns excepted) into
another fresh schema migrated the same way, so both write into identical tables and
indexes. The COPY rate is expressed per event (N events / COPY time).
"""

from __future__ import annotations

import gc
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from bench.cpu import ServerCpu, client_seconds
from bench.replay_events import generate
from compose.migrate import apply_migrations
from connectors.postgres.conninfo import LONG, with_timeouts
from connectors.replay.compare import PROJECTED
from connectors.replay.projection import ReplayTarget, project
from connectors.replay.schemas import connect_in, create_shadow, drop_schema
from connectors.replay.topics import Batch
from schemas import EventEnvelope

TARGET_RATIO = 0.5


@dataclass(frozen=True)
class RunFigures:
    """One run's rates: wall clock, and per CPU second of client + server (0: unknown)."""

    projected_per_s: float
    copy_per_s: float
    projected_per_cpu_s: float = 0.0
    copy_per_cpu_s: float = 0.0

    @property
    def ratio(self) -> float:
        return self.projected_per_s / self.copy_per_s

    @property
    def cpu_ratio(self) -> float:
        return self.projected_per_cpu_s / self.copy_per_cpu_s if self.copy_per_cpu_s else 0.0


class Clock:
    """Wall and CPU (this process + the database server, when local) seconds."""

    def __init__(self, url: str) -> None:
        with psycopg.connect(with_timeouts(url, LONG)) as conn:
            self.server = ServerCpu(conn.info.backend_pid)

    def read(self) -> tuple[float, float]:
        return time.perf_counter(), client_seconds() + self.server.seconds()


def _database(url: str, name: str) -> str:
    server, _, rest = url.rpartition("/")
    query = rest.partition("?")[2]
    return f"{server}/{name}" + (f"?{query}" if query else "")


def _batches(envelopes: list[EventEnvelope[Any]], size: int) -> Iterator[Batch]:
    for start in range(0, len(envelopes), size):
        yield envelopes[start : start + size]


def _columns(conn: psycopg.Connection[Any], schema: str, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s"
        " AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        (schema, table),
    ).fetchall()
    return [name for (name,) in rows]


def copy_seconds(
    conn: psycopg.Connection[Any], source: str, target: str, clock: Clock
) -> tuple[float, float]:
    """COPY every projected table's rows from ``source`` into ``target``; return wall, CPU s."""
    dumps: list[tuple[sql.Composed, bytes]] = []
    for table in PROJECTED:
        cols = sql.SQL(", ").join(map(sql.Identifier, _columns(conn, source, table)))
        out = sql.SQL("COPY (SELECT {c} FROM {s}.{t}) TO STDOUT (FORMAT binary)").format(
            c=cols, s=sql.Identifier(source), t=sql.Identifier(table))  # fmt: skip
        with conn.cursor().copy(out) as copy:
            data = b"".join(bytes(chunk) for chunk in copy)
        into: sql.Composed = sql.SQL("COPY {s}.{t} ({c}) FROM STDIN (FORMAT binary)").format(
            c=cols, s=sql.Identifier(target), t=sql.Identifier(table))  # fmt: skip
        dumps.append((into, data))
    wall, cpu = clock.read()
    with conn.transaction():
        for into, data in dumps:
            with conn.cursor().copy(into) as copy:
                copy.write(data)
    wall_end, cpu_end = clock.read()
    return wall_end - wall, cpu_end - cpu


def one_run(url: str, envelopes: list[EventEnvelope[Any]], batch_events: int) -> RunFigures:
    """Project the events into a fresh shadow, COPY its rows into another; return both rates."""
    shadow = create_shadow(url, "bench")
    copied = create_shadow(url, "copy")
    clock, n = Clock(url), len(envelopes)
    try:
        wall, cpu = clock.read()
        stats = project(ReplayTarget(url), shadow, _batches(envelopes, batch_events)).stats
        wall_end, cpu_end = clock.read()
        assert stats.applied == n, stats
        with connect_in(url, shadow) as conn:
            copy_wall, copy_cpu = copy_seconds(conn, shadow, copied, clock)
    finally:
        drop_schema(url, shadow)
        drop_schema(url, copied)
    per_cpu = (n / (cpu_end - cpu), n / copy_cpu) if clock.server.available else (0.0, 0.0)
    return RunFigures(n / (wall_end - wall), n / copy_wall, *per_cpu)


def run(
    server_url: str, events: int, runs: int, batch_events: int, inventories: int
) -> dict[str, Any]:
    """Generate the events once, run the measurement ``runs`` times; return the medians."""
    name = f"zaiko_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(with_timeouts(server_url, LONG), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _database(server_url, name)
    try:
        apply_migrations(url)
        started = time.perf_counter()
        envelopes = generate(events, inventories)
        generated_s = time.perf_counter() - started
        # A replay streams its events; only the bench holds them all. Keep the collector
        # from walking that heap over and over, which would bill the bench's memory to
        # the projection.
        gc.freeze()
        figures = [one_run(url, envelopes, batch_events) for _ in range(runs)]
    finally:
        with psycopg.connect(with_timeouts(server_url, LONG), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))  # fmt: skip
    return {
        "events": len(envelopes),
        "generated_s": generated_s,
        "runs": [(f.projected_per_s, f.copy_per_s, f.ratio, f.cpu_ratio) for f in figures],
        "projected_per_s": statistics.median(f.projected_per_s for f in figures),
        "copy_per_s": statistics.median(f.copy_per_s for f in figures),
        "ratio": statistics.median(f.ratio for f in figures),
        "projected_per_cpu_s": statistics.median(f.projected_per_cpu_s for f in figures),
        "copy_per_cpu_s": statistics.median(f.copy_per_cpu_s for f in figures),
        "cpu_ratio": statistics.median(f.cpu_ratio for f in figures),
    }


def print_figures(result: dict[str, Any]) -> None:
    """Print the medians and each run as a rich table, with PASS/MISS against the target."""
    from rich.console import Console
    from rich.table import Table

    ok = result["ratio"] >= TARGET_RATIO
    table = Table(title=f"zaiko bench replay ({result['events']:,} events)")
    for column in ("measure", "median", "runs"):
        table.add_column(column)
    runs = result["runs"]
    table.add_row("projection (replay path) events/s", f"{result['projected_per_s']:,.0f}",
                  ", ".join(f"{r[0]:,.0f}" for r in runs))  # fmt: skip
    table.add_row("raw COPY of the same rows, events/s", f"{result['copy_per_s']:,.0f}",
                  ", ".join(f"{r[1]:,.0f}" for r in runs))  # fmt: skip
    verdict = "[green]PASS[/]" if ok else "[red]MISS[/]"
    table.add_row(f"ratio (target ≥ {TARGET_RATIO}) {verdict}", f"{result['ratio']:.2f}",
                  ", ".join(f"{r[2]:.2f}" for r in runs))  # fmt: skip
    if result["cpu_ratio"]:
        table.add_row("projection events per CPU s (client + server)",
                      f"{result['projected_per_cpu_s']:,.0f}", "")  # fmt: skip
        table.add_row("COPY events per CPU s (client + server)",
                      f"{result['copy_per_cpu_s']:,.0f}", "")  # fmt: skip
        cpu_runs = ", ".join(f"{r[3]:.2f}" for r in runs)
        table.add_row("ratio by CPU time (steadier on a shared machine)",
                      f"{result['cpu_ratio']:.2f}", cpu_runs)  # fmt: skip
    Console().print(table)
