"""Project one batch of an event topic: Postgres, then the Redis cache, then low-stock alerts.

Plain code (no Faust): the agent runs ``project`` off the event loop, publishes the dead
letters and alerts it returns, waits for the broker's acks, and only then lets the batch's
offsets commit. A crash anywhere before that replays the batch, which every step absorbs:
Postgres skips what it holds, the cache refuses older versions, the detector repeats the
alert of the very event that fired (same alert id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.alerts import LowStockDetector
from connectors.eventstore.port import EventStore
from connectors.postgres import GapError, PostgresProjector, UnprojectableEventError
from connectors.postgres.gaps import by_aggregate
from connectors.postgres.projector import ProjectionStats
from connectors.redis import CacheProjector
from schemas import EventEnvelope, decode_event
from streams.projection.decoding import decode_records
from streams.projection.followers import plan_followers
from streams.projection.records import BatchResult, DeadLetter, Decoded, Record

log = logging.getLogger(__name__)
Envelope = EventEnvelope[Any]


@dataclass
class Positions:
    """投影位置 per aggregate before and after a batch, as its transactions saw them."""

    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)


class ProjectionHandler:
    """Owns the clients one agent needs; used by one thread at a time (agent concurrency 1)."""

    def __init__(
        self,
        projector: PostgresProjector,
        cache: CacheProjector | None = None,
        detector: LowStockDetector | None = None,
        store: EventStore | None = None,
    ) -> None:
        self.projector = projector
        self.cache = cache
        self.detector = detector
        self.store = store
        self.dead_lettered = 0

    def close(self) -> None:
        """Close the Postgres connections this handler owns."""
        self.projector.close()
        if self.detector is not None:
            self.detector.close()

    def project(self, records: Sequence[Record]) -> BatchResult:
        """Apply a batch everywhere; return what must be published before it is acked."""
        decoded, dead = decode_records(records)
        result = BatchResult(dead_letters=dead)
        positions = Positions()
        applied = self._apply(decoded, result, positions)
        plan = plan_followers(
            applied, positions.before, positions.after, self._fetch if self.store else None
        )
        if self.cache is not None:
            self.cache.apply_batch(plan.redelivered, redelivered=True)
            self.cache.apply_batch(plan.fresh)
        if self.detector is not None:
            result.alerts = self.detector.alerts_for_batch(plan.observed)
        self.dead_lettered += len(result.dead_letters)
        if result.gaps_healed:
            log.warning("healed %d gap(s) with %d event(s) from the event store",
                        result.gaps_healed, result.events_fetched)  # fmt: skip
        return result

    def _apply(
        self, decoded: list[Decoded], result: BatchResult, positions: Positions
    ) -> list[Envelope]:
        """Apply in one transaction; if one aggregate cannot be, apply the others alone."""
        envelopes = [d.envelope for d in decoded]
        try:
            self._count(self.projector.apply_batch(envelopes), result, positions)
            return envelopes
        except (GapError, UnprojectableEventError) as e:
            log.warning("batch refused (%s); applying aggregate by aggregate", e)
        records: dict[str, list[Record]] = {}
        for d in decoded:
            records.setdefault(d.envelope.meta.aggregate_id, []).append(d.record)
        applied: list[Envelope] = []
        for aggregate_id, group in by_aggregate(envelopes).items():
            try:
                self._count(self.projector.apply_batch(group), result, positions)
                applied.extend(group)
            except (GapError, UnprojectableEventError) as e:
                reason = f"{type(e).__name__}: {e}"
                log.error("dead-lettering %d event(s) of %s: %s", len(group), aggregate_id, reason)
                result.dead_letters.extend(DeadLetter(r, reason) for r in records[aggregate_id])
        return applied

    @staticmethod
    def _count(stats: ProjectionStats, result: BatchResult, positions: Positions) -> None:
        result.applied += stats.applied
        result.skipped += stats.skipped
        result.gaps_healed += stats.gaps_healed
        result.events_fetched += stats.events_fetched
        positions.before.update(stats.before)
        positions.after.update(stats.after)

    def _fetch(self, aggregate_id: str, low: int, high: int) -> list[Envelope]:
        assert self.store is not None
        stored = self.store.load_events(aggregate_id, after_version=low)
        return [decode_event(s.payload) for s in stored if s.seq_nr <= high]


HandlerFactory = Callable[[], ProjectionHandler]
