"""Project decoded events into the Postgres read model, idempotently and without gaps.

Each call is one transaction holding the row changes and the new 投影位置 of every
aggregate it touched: an event at or below the recorded number is skipped, the next one
is applied, and one further ahead makes the projector fetch the missing events from the
event store and apply them first. The transaction first claims and locks the 投影位置
rows of its aggregates (claims.py), so concurrent projectors take turns even on an
aggregate's first event; an aggregate parked in 投影保留 (parking.py) is left out.

``apply_batch`` is ``prepare`` (no database: grouping, each event's rows; see
prepare.py) followed by ``apply_prepared`` (the transaction); a replay calls the two
separately to prepare the next batch while the current one is written.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import psycopg

from connectors.eventstore.port import EventStore
from connectors.postgres import claims
from connectors.postgres.claims import Hold
from connectors.postgres.conninfo import with_timeouts
from connectors.postgres.gaps import Ordered, order_batch
from connectors.postgres.plan import BatchPlan
from connectors.postgres.prepare import PreparedBatch, plan_group, prepare
from schemas import EventEnvelope


class ApplyStatus(StrEnum):
    APPLIED = "APPLIED"
    SKIPPED = "SKIPPED"
    GAP_HEALED = "GAP_HEALED"


@dataclass
class ProjectionStats:
    """What a projector did (cumulative over its calls).

    Per call only (left empty in the cumulative stats): ``before`` / ``after``, the
    投影位置 of each aggregate of the call, read under its lock and as committed (0 when
    none); ``held``, the aggregates left out because they are parked; ``fetched``, the
    events read from the event store to fill gaps (applied with the delivered ones).
    """

    applied: int = 0
    skipped: int = 0
    gaps_healed: int = 0
    events_fetched: int = 0
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    held: dict[str, Hold] = field(default_factory=dict)
    fetched: list[EventEnvelope[Any]] = field(default_factory=list)


class PostgresProjector:
    """Applies event envelopes to the read model over one connection it owns."""

    def __init__(self, conn: psycopg.Connection[Any], event_store: EventStore | None = None):
        if not conn.autocommit:
            raise ValueError("the projector needs an autocommit connection (it opens its own)")
        self._conn = conn
        self._store = event_store
        self.stats = ProjectionStats()

    @classmethod
    def connect(cls, database_url: str, event_store: EventStore | None = None) -> PostgresProjector:
        """Open a connection to ``database_url`` for a new projector."""
        return cls(psycopg.connect(with_timeouts(database_url), autocommit=True), event_store)

    @property
    def connection(self) -> psycopg.Connection[Any]:
        """Return the projector's connection (for statements outside a batch: parking)."""
        return self._conn

    def close(self) -> None:
        """Close the projector's connection."""
        self._conn.close()

    def apply(self, envelope: EventEnvelope[Any]) -> ApplyStatus:
        """Apply one event (and any missing predecessors) in one transaction."""
        result = self.apply_batch([envelope])
        if result.gaps_healed:
            return ApplyStatus.GAP_HEALED
        return ApplyStatus.SKIPPED if result.skipped else ApplyStatus.APPLIED

    def apply_batch(
        self, envelopes: Iterable[EventEnvelope[Any]], force: Collection[str] = ()
    ) -> ProjectionStats:
        """Apply many events, in order per aggregate, in one transaction; return counts."""
        return self.apply_prepared(prepare(envelopes), force)

    @staticmethod
    def prepare(envelopes: Iterable[EventEnvelope[Any]]) -> PreparedBatch:
        """Do a batch's database-free work (thread-safe: no connection is used)."""
        return prepare(envelopes)

    def apply_prepared(self, batch: PreparedBatch, force: Collection[str] = ()) -> ProjectionStats:
        """Apply a prepared batch in one transaction; return counts.

        Parked aggregates are left out (``held``), except those in ``force`` (a retry).
        """
        if not batch.groups:
            return ProjectionStats()
        ordered = Ordered()
        held: dict[str, Hold] = {}
        with self._conn.transaction(), self._conn.cursor() as cursor:
            locked = claims.lock(self._conn, list(batch.groups), batch.types, batch.inventory_ids)
            plan = BatchPlan(locked.figures)
            before = {a: locked.recorded.get(a, 0) for a in batch.groups}
            after = dict(before)
            for aggregate_id, group in batch.groups.items():
                hold = locked.parked.get(aggregate_id)
                if hold is not None and aggregate_id not in force:
                    held[aggregate_id] = hold  # its events wait in the journal (order)
                    continue
                last = before[aggregate_id]
                if group.contiguous and group.envelopes[0].meta.sequence_nr == last + 1:
                    plan.add_group(aggregate_id, group)  # the plain case: all of it, as planned
                    ordered.envelopes.extend(group.envelopes)
                    after[aggregate_id] = group.envelopes[-1].meta.sequence_nr
                    continue
                # Duplicates, applied events or a gap: order the group the careful way.
                fresh = order_batch({aggregate_id: group.envelopes}, before, self._store)
                _count(ordered, fresh)
                if fresh.envelopes:
                    plan.add_group(aggregate_id, plan_group(fresh.envelopes))
                    after[aggregate_id] = fresh.envelopes[-1].meta.sequence_nr
            plan.execute(cursor)
            claims.release(cursor, after)
        result = ProjectionStats(
            len(ordered.envelopes), ordered.skipped, ordered.gaps_healed, ordered.events_fetched,
            before, after, held, ordered.fetched,
        )  # fmt: skip
        self.stats.applied += result.applied
        self.stats.skipped += result.skipped
        self.stats.gaps_healed += result.gaps_healed
        self.stats.events_fetched += result.events_fetched
        return result


def _count(total: Ordered, part: Ordered) -> None:
    total.envelopes.extend(part.envelopes)
    total.skipped += part.skipped
    total.gaps_healed += part.gaps_healed
    total.events_fetched += part.events_fetched
    total.fetched.extend(part.fetched)
