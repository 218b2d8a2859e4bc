"""Rebuild the read model into a shadow schema, compare it with the live one, swap on request."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import redis

from connectors.eventstore.port import EventStore
from connectors.postgres import PostgresProjector, ProjectionStats
from connectors.redis.keys import PREFIX
from connectors.replay import schemas
from connectors.replay.cache import rebuild_cache
from connectors.replay.compare import Comparison, compare_schemas
from connectors.replay.topics import Batch

SWITCH_INTERVAL_S = 0.0005
B = TypeVar("B")
P = TypeVar("P")


@dataclass
class ReplayTarget:
    """Where a replay writes: a database, its live schema, and optionally the cache."""

    database_url: str
    live_schema: str = "public"
    redis: redis.Redis | None = None
    redis_prefix: str = PREFIX
    event_store: EventStore | None = None  # heals gaps in the topics, as live projection does


@dataclass
class ReplayReport:
    """What a replay did, what it found, and whether it swapped."""

    shadow: str
    stats: ProjectionStats = field(default_factory=ProjectionStats)
    comparison: Comparison | None = None
    swapped: bool = False
    backup: str = ""
    cache_entries: int = 0


def project(
    target: ReplayTarget,
    schema: str,
    batches: Iterable[Batch],
    on_applied: Callable[[int], None] | None = None,
) -> ProjectionStats:
    """Apply every batch with the live projector's code, its SQL resolving in ``schema``.

    Batch n+1 is read and prepared (grouped, its rows computed: see
    connectors/postgres/prepare.py) in a second thread while batch n's transaction runs;
    psycopg releases the GIL while it waits for Postgres, so the two overlap. Batches
    are still applied one at a time, in order, each in its own transaction.
    """
    projector = PostgresProjector(
        schemas.connect_in(target.database_url, schema), target.event_store
    )
    # Each time Postgres answers, the applying thread needs the GIL back from the busy
    # preparing one, which holds it up to the switch interval (5 ms by default): with
    # hundreds of waits per batch (COPY flushes, round trips) that ate the overlap.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL_S))
    try:
        for prepared in prepared_ahead(batches, projector.prepare):
            projector.apply_prepared(prepared)
            if on_applied is not None:
                on_applied(prepared.size)
        return projector.stats
    finally:
        sys.setswitchinterval(interval)
        projector.close()


def prepared_ahead(batches: Iterable[B], prepare: Callable[[B], P]) -> Iterator[P]:
    """Yield ``prepare(batch)`` for each batch, reading and preparing the next one meanwhile."""
    source = iter(batches)

    def next_prepared() -> tuple[P] | None:  # None: no batch left
        batch = next(source, None)
        return None if batch is None else (prepare(batch),)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="replay-prepare") as pool:
        ahead = pool.submit(next_prepared)
        while (prepared := ahead.result()) is not None:
            ahead = pool.submit(next_prepared)
            yield prepared[0]


def rebuild(
    target: ReplayTarget,
    batches: Iterable[Batch],
    swap: bool = False,
    keep_backup: bool = True,
    on_applied: Callable[[int], None] | None = None,
) -> ReplayReport:
    """Replay ``batches`` into a fresh shadow schema, compare, and swap when asked.

    Without ``swap`` the shadow stays for inspection (the next replay replaces it).
    With it the old live schema is kept as ``<live>_backup_<UTC time>`` unless
    ``keep_backup`` is False, and the cache is rebuilt from the new model.
    """
    shadow = schemas.create_shadow(target.database_url, target.live_schema)
    report = ReplayReport(shadow, project(target, shadow, batches, on_applied))
    with schemas.connect_in(target.database_url, target.live_schema) as conn:
        report.comparison = compare_schemas(conn, target.live_schema, shadow)
    if not swap:
        return report
    report.backup = schemas.swap(target.database_url, shadow, target.live_schema, keep_backup)
    report.swapped = True
    if target.redis is not None:
        with schemas.connect_in(target.database_url, target.live_schema) as conn:
            report.cache_entries = rebuild_cache(conn, target.redis, target.redis_prefix)
    return report
