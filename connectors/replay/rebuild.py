"""Rebuild the read model into a shadow schema, compare it with the live one, swap on request."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from connectors.postgres import ProjectionStats
from connectors.postgres.parking import Parked
from connectors.replay import schemas
from connectors.replay.cache import rebuild_cache
from connectors.replay.compare import Comparison, compare_schemas
from connectors.replay.projection import PARK_AFTER_ATTEMPTS, ReplayTarget, project
from connectors.replay.swap import JournalChangedError, Swapped, swap
from connectors.replay.topics import Batch

__all__ = ["ReplayReport", "ReplayTarget", "project", "rebuild"]


@dataclass
class ReplayReport:
    """What a replay did, what it found, and whether it swapped.

    ``parked``: the aggregates the rebuilt model parked (its 投影保留), ``held_back``: their
    events it did not apply; ``epoch``: the journal epoch the swapped model records.
    """

    shadow: str
    stats: ProjectionStats = field(default_factory=ProjectionStats)
    comparison: Comparison | None = None
    swapped: bool = False
    backup: str = ""
    cache_entries: int = 0
    parked: list[Parked] = field(default_factory=list)
    held_back: int = 0
    epoch: str | None = None


def rebuild(
    target: ReplayTarget,
    batches: Iterable[Batch],
    swap: bool = False,
    keep_backup: bool = True,
    on_applied: Callable[[int], None] | None = None,
    attempts: int = PARK_AFTER_ATTEMPTS,
) -> ReplayReport:
    """Replay ``batches`` into a fresh shadow schema, compare, and swap when asked.

    An event the read model refuses parks its aggregate in the shadow after ``attempts``
    tries, as the live projector does, and the rest is rebuilt. Without ``swap`` the
    shadow stays for inspection (the next replay replaces it). With it the old live
    schema is kept as ``<live>_backup_<UTC time>`` unless ``keep_backup`` is False, and
    the cache is rebuilt from the new model.
    """
    shadow = schemas.create_shadow(target.database_url, target.live_schema)
    projected = project(target, shadow, batches, on_applied, attempts)
    report = ReplayReport(shadow, projected.stats, parked=projected.parked,
                          held_back=projected.held_back)  # fmt: skip
    with schemas.connect_in(target.database_url, target.live_schema) as conn:
        report.comparison = compare_schemas(conn, target.live_schema, shadow)
    if not swap:
        return report
    swapped = _swap(target, shadow, keep_backup)
    report.backup, report.epoch, report.swapped = swapped.backup, swapped.epoch, True
    if target.redis is not None:
        with schemas.connect_in(target.database_url, target.live_schema) as conn:
            report.cache_entries = rebuild_cache(conn, target.redis, target.redis_prefix)
    return report


def _swap(target: ReplayTarget, shadow: str, keep_backup: bool) -> Swapped:
    """Swap, recording the epoch the events were read in, unless the journal started over."""
    epoch = target.journal_epoch
    if epoch is not None and target.read_journal_epoch is not None:
        now = target.read_journal_epoch()
        if now != epoch:
            raise JournalChangedError(
                f"the journal started over after the replay read it (epoch {epoch}, now"
                f" {now or 'none'}): the rebuilt model is of a journal that is gone; replay again"
            )
    return swap(target.database_url, shadow, target.live_schema, keep_backup, epoch)
