"""Apply a batch so that an event the read model refuses parks its aggregate, not the batch.

Used by the projector's agents (one aggregate type each) and by ``zaiko replay`` (a mix
of types: an aggregate's type is then its events').

The whole batch goes in one transaction first (the normal case). When that fails
deterministically (connectors/postgres/failures.py), the batch is split in halves, each
in its own transaction, down to the aggregates that fail alone; those are applied event
by event, so the events before the refused one are kept. The refused event is tried
``attempts`` times in all (a short pause between), then its aggregate is parked: a
投影保留 row, and the event is handed back to be dead-lettered. The aggregate's later
events are neither applied (order) nor dead-lettered; they wait in the journal for
``zaiko projector retry``. Every other aggregate of the batch is applied.

A transient failure (the database down, a timeout, a deadlock) is raised at once: the
caller retries the batch with backoff for as long as it takes, and what was committed
already is skipped then (the 投影位置 rows make every transaction idempotent).

Event-store reads (gap healing, a Query) stay bounded: an aggregate whose gap the store
cannot fill is parked after ``attempts`` tries, and a parked aggregate's events never
reach the gap check again, so a Query per batch cannot recur in steady state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.logs import log_context
from connectors.postgres.claims import Hold
from connectors.postgres.failures import describe, is_deterministic
from connectors.postgres.gaps import by_aggregate
from connectors.postgres.parking import Parked, park
from connectors.postgres.projector import PostgresProjector, ProjectionStats
from domain.messages import AGGREGATE_OF_EVENT
from schemas import EventEnvelope, EventMeta

log = logging.getLogger(__name__)
Envelope = EventEnvelope[Any]
Group = tuple[str, list[Envelope]]


@dataclass(frozen=True)
class Parking:
    """An aggregate this batch parked, and the event that failed."""

    parked: Parked
    envelope: Envelope


@dataclass
class Applied:
    """What the committed transactions of one batch did, merged per aggregate."""

    applied: int = 0
    skipped: int = 0
    gaps_healed: int = 0
    events_fetched: int = 0
    before: dict[str, int] = field(default_factory=dict)  # as the first transaction saw it
    after: dict[str, int] = field(default_factory=dict)  # as the last one left it
    held: dict[str, Hold] = field(default_factory=dict)  # parked before this batch
    fetched: list[Envelope] = field(default_factory=list)
    parked: list[Parking] = field(default_factory=list)

    def add(self, stats: ProjectionStats) -> None:
        """Merge one committed transaction's stats."""
        self.applied += stats.applied
        self.skipped += stats.skipped
        self.gaps_healed += stats.gaps_healed
        self.events_fetched += stats.events_fetched
        for aggregate_id, seq in stats.before.items():
            self.before.setdefault(aggregate_id, seq)
        self.after.update(stats.after)
        self.held.update(stats.held)
        self.fetched.extend(stats.fetched)


class Isolator:
    """Applies batches through one projector, isolating the aggregates that cannot be."""

    def __init__(
        self,
        projector: PostgresProjector,
        aggregate_type: str | None,
        attempts: int = 3,
        pause_s: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be >= 1")
        self.projector = projector
        self.aggregate_type = aggregate_type
        self.attempts = attempts
        self.pause_s = pause_s
        self.sleep = sleep

    def apply(self, envelopes: Sequence[Envelope], force: Collection[str] = ()) -> Applied:
        """Apply ``envelopes``; ``force``: aggregates to apply although parked (a retry)."""
        out = Applied()
        groups = list(by_aggregate(envelopes).items())
        if groups:
            self._groups(groups, out, force)
        return out

    def isolate(self, envelopes: Sequence[Envelope]) -> Applied:
        """Apply ``envelopes`` whose one transaction was just refused: split them at once."""
        out = Applied()
        groups = list(by_aggregate(envelopes).items())
        if groups:
            self._split(groups, out, ())
        return out

    def _commit(self, envelopes: list[Envelope], out: Applied, force: Collection[str]) -> None:
        out.add(self.projector.apply_batch(envelopes, force))

    def _groups(self, groups: list[Group], out: Applied, force: Collection[str]) -> None:
        try:
            self._commit([e for _, group in groups for e in group], out, force)
            return
        except Exception as e:
            if not is_deterministic(e):
                raise
            log.warning("%d aggregate(s) refused together (%s); splitting", len(groups),
                        describe(e))  # fmt: skip
        self._split(groups, out, force)

    def _split(self, groups: list[Group], out: Applied, force: Collection[str]) -> None:
        if len(groups) == 1:
            self._one_by_one(*groups[0], out, force)
            return
        middle = len(groups) // 2
        self._groups(groups[:middle], out, force)
        self._groups(groups[middle:], out, force)

    def _one_by_one(
        self, aggregate_id: str, group: list[Envelope], out: Applied, force: Collection[str]
    ) -> None:
        for envelope in group:
            with event_scope(envelope.meta):
                for attempt in range(1, self.attempts + 1):
                    try:
                        self._commit([envelope], out, force)
                        break
                    except Exception as e:
                        if not is_deterministic(e):
                            raise
                        if attempt == self.attempts:
                            if self._park(aggregate_id, envelope, e, attempt, out):
                                return  # the rest waits in the journal
                            break  # applied by someone else meanwhile: go on
                        self.sleep(self.pause_s * 2 ** (attempt - 1))
            if aggregate_id in out.held:
                return

    def _park(
        self, aggregate_id: str, envelope: Envelope, error: Exception, attempts: int, out: Applied
    ) -> bool:
        meta = envelope.meta
        reason = describe(error)
        aggregate_type = self.aggregate_type or AGGREGATE_OF_EVENT.get(
            type(envelope.event).__name__, "unknown"
        )
        parked = park(self.projector.connection, aggregate_id, aggregate_type,
                      meta.event_id, meta.sequence_nr, reason, attempts)  # fmt: skip
        if parked is None:
            return False
        out.parked.append(Parking(parked, envelope))
        fields = {"event": "projection_parked", "aggregate_id": aggregate_id,
                  "aggregate_type": aggregate_type, "sequence_nr": parked.sequence_nr,
                  "event_id": meta.event_id, "attempts": parked.attempts,
                  "reason": reason}  # fmt: skip
        log.error("projection parked: aggregate %s at sequence %d (event %s, %d attempts): %s",
                  aggregate_id, parked.sequence_nr, meta.event_id, parked.attempts, reason,
                  extra={"fields": fields})  # fmt: skip
        return True


def event_scope(meta: EventMeta) -> log_context:
    """Return the log scope of applying one event: the command that caused it, its flow."""
    return log_context(command_id=meta.causation_id, correlation_id=meta.correlation_id,
                       aggregate_id=meta.aggregate_id, event_id=meta.event_id)  # fmt: skip
