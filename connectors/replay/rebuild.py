"""Rebuild the read model into a shadow schema, compare it with the live one, swap on request."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import redis

from connectors.eventstore.port import EventStore
from connectors.postgres import PostgresProjector, ProjectionStats
from connectors.redis.keys import PREFIX
from connectors.replay import schemas
from connectors.replay.cache import rebuild_cache
from connectors.replay.compare import Comparison, compare_schemas
from connectors.replay.topics import Batch


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
    """Apply every batch with the live projector's code, its SQL resolving in ``schema``."""
    projector = PostgresProjector(
        schemas.connect_in(target.database_url, schema), target.event_store
    )
    try:
        for batch in batches:
            projector.apply_batch(batch)
            if on_applied is not None:
                on_applied(len(batch))
        return projector.stats
    finally:
        projector.close()


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
