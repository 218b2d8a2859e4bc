"""Project decoded events into the Postgres read model, idempotently and without gaps.

Each call is one transaction holding the row changes and the new 投影位置 of every
aggregate it touched: an event at or below the recorded number is skipped, the next one
is applied, and one further ahead makes the projector fetch the missing events from the
event store and apply them first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import psycopg

from connectors.eventstore.port import EventStore
from connectors.postgres import statements as sql
from connectors.postgres.gaps import by_aggregate, order_batch
from connectors.postgres.handlers import aggregate_type_of
from connectors.postgres.plan import BatchPlan
from connectors.postgres.stock import Figures
from schemas import EventEnvelope


class ApplyStatus(StrEnum):
    APPLIED = "APPLIED"
    SKIPPED = "SKIPPED"
    GAP_HEALED = "GAP_HEALED"


@dataclass
class ProjectionStats:
    """What a projector did (cumulative over its calls)."""

    applied: int = 0
    skipped: int = 0
    gaps_healed: int = 0
    events_fetched: int = 0


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
        return cls(psycopg.connect(database_url, autocommit=True), event_store)

    def close(self) -> None:
        """Close the projector's connection."""
        self._conn.close()

    def apply(self, envelope: EventEnvelope[Any]) -> ApplyStatus:
        """Apply one event (and any missing predecessors) in one transaction."""
        result = self.apply_batch([envelope])
        if result.gaps_healed:
            return ApplyStatus.GAP_HEALED
        return ApplyStatus.SKIPPED if result.skipped else ApplyStatus.APPLIED

    def apply_batch(self, envelopes: Iterable[EventEnvelope[Any]]) -> ProjectionStats:
        """Apply many events, in order per aggregate, in one transaction; return counts."""
        groups = by_aggregate(envelopes)
        if not groups:
            return ProjectionStats()
        with self._conn.transaction(), self._conn.cursor() as cursor:
            recorded = dict(cursor.execute(sql.LOCK_POSITIONS, (sorted(groups),)).fetchall())
            ordered = order_batch(groups, recorded, self._store)
            plan = BatchPlan(_stock_figures(cursor, ordered.envelopes))
            for envelope in ordered.envelopes:
                plan.add(envelope)
            plan.execute(cursor)
        result = ProjectionStats(
            len(ordered.envelopes), ordered.skipped, ordered.gaps_healed, ordered.events_fetched
        )
        self.stats.applied += result.applied
        self.stats.skipped += result.skipped
        self.stats.gaps_healed += result.gaps_healed
        self.stats.events_fetched += result.events_fetched
        return result


def _stock_figures(
    cursor: psycopg.Cursor[Any], envelopes: list[EventEnvelope[Any]]
) -> dict[str, Figures]:
    ids = sorted(
        {e.meta.aggregate_id for e in envelopes if aggregate_type_of(e.event) == "inventory"}
    )
    if not ids:
        return {}
    rows = cursor.execute(sql.READ_FIGURES, (ids,)).fetchall()
    return {row[0]: Figures(row[1], row[2], row[3], exists=True) for row in rows}
