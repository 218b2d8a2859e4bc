"""Project one batch of an event topic: Postgres, then the Redis cache, then low-stock alerts.

Plain code (no Faust): the agent runs ``project`` off the event loop, publishes the dead
letters and alerts it returns, waits for the broker's acks, and only then lets the batch's
offsets commit. A crash anywhere before that replays the batch, which every step absorbs:
Postgres skips what it holds, the cache refuses older versions, the detector repeats the
alert of the very event that fired (same alert id), and the event that parked its
aggregate is dead-lettered again (same event).

Failures: an event the read model refuses parks its aggregate (isolation.py); a
transient failure is raised for the caller to retry; a cache failure never fails the
batch (connectors/redis/resilient.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from connectors.alerts import LowStockDetector
from connectors.notifications.parked import parked_raised
from connectors.postgres import PostgresProjector
from connectors.postgres.isolation import Applied, Isolator
from connectors.redis.resilient import ResilientCache
from schemas import EventEnvelope, Notification, encode, event_topic_for
from streams.projection.decoding import decode_records
from streams.projection.followers import plan_followers
from streams.projection.records import BatchResult, DeadLetter, Decoded, Record

log = logging.getLogger(__name__)
Envelope = EventEnvelope[Any]
PARKED_REASON = "ProjectionParked"


class ProjectionHandler:
    """Owns the clients one agent needs; used by one thread at a time (agent concurrency 1)."""

    def __init__(
        self,
        projector: PostgresProjector,
        aggregate_type: str,
        cache: ResilientCache | None = None,
        detector: LowStockDetector | None = None,
        attempts: int = 3,
    ) -> None:
        self.projector = projector
        self.aggregate_type = aggregate_type
        self.isolator = Isolator(projector, aggregate_type, attempts)
        self.cache = cache
        self.detector = detector
        self.dead_lettered = 0
        self.held_back = 0  # events of parked aggregates left in the journal

    def close(self) -> None:
        """Close the Postgres connections this handler owns."""
        self.projector.close()
        if self.detector is not None:
            self.detector.close()

    def project(self, records: Sequence[Record]) -> BatchResult:
        """Apply a batch everywhere; return what must be published before it is acked."""
        decoded, dead = decode_records(records)
        result = BatchResult(dead_letters=dead)
        envelopes = [d.envelope for d in decoded]
        result.newest_occurred_s = max(
            (e.meta.occurred_at.timestamp() for e in envelopes), default=None
        )
        applied = self.isolator.apply(envelopes)
        self.follow(applied, envelopes, result)
        result.dead_letters.extend(self._parked_letters(decoded, applied))
        result.notifications = self._parked_notifications(decoded, applied)
        self.dead_lettered += len(result.dead_letters)
        return result

    def reproject(
        self, aggregate_id: str, envelopes: Sequence[Envelope], force: bool
    ) -> tuple[BatchResult, Applied]:
        """Apply events read from the event store (``zaiko projector retry``)."""
        result = BatchResult()
        applied = self.isolator.apply(envelopes, {aggregate_id} if force else ())
        self.follow(applied, envelopes, result)
        result.dead_letters.extend(self._parked_letters([], applied))
        result.notifications = self._parked_notifications([], applied)
        return result, applied

    def follow(self, applied: Applied, envelopes: Iterable[Envelope], result: BatchResult) -> None:
        """Count, then hand what Postgres committed to the cache and the detector."""
        result.applied, result.skipped = applied.applied, applied.skipped
        result.gaps_healed, result.events_fetched = applied.gaps_healed, applied.events_fetched
        result.parked = [p.parked for p in applied.parked]
        # The events fetched to fill gaps were applied too: the cache needs them all (so
        # no Query of the event store again here), in order, to reach the read model.
        plan = plan_followers([*envelopes, *applied.fetched], applied.before, applied.after, None)
        if self.cache is not None:
            self.cache.follow(plan.redelivered, plan.fresh)
        if self.detector is not None:
            result.alerts = self.detector.alerts_for_batch(plan.observed)
        held = sum(1 for e in envelopes if e.meta.aggregate_id in applied.held)
        self.held_back += held
        if held:
            log.info("%d event(s) of %d parked aggregate(s) left in the journal", held,
                     len(applied.held))  # fmt: skip
        if result.gaps_healed:
            log.warning("healed %d gap(s) with %d event(s) from the event store",
                        result.gaps_healed, result.events_fetched)  # fmt: skip

    def _parked_letters(self, decoded: list[Decoded], applied: Applied) -> list[DeadLetter]:
        """Dead letters of the events that parked their aggregates, as delivered if they were.

        An aggregate parked before this batch whose parking event is redelivered gets it
        dead-lettered again: the process may have died before publishing it.
        """
        delivered: dict[str, Record] = {}
        for d in decoded:
            delivered.setdefault(d.envelope.meta.event_id, d.record)
        letters = []
        for parking in applied.parked:
            envelope = parking.envelope
            record = delivered.get(envelope.meta.event_id) or self._record_of(envelope)
            letters.append(DeadLetter(record, f"{PARKED_REASON}: {parking.parked.reason}"))
        for hold in applied.held.values():
            again = delivered.get(hold.event_id)
            if again is not None:
                letters.append(DeadLetter(again, f"{PARKED_REASON}: {hold.reason}"))
        return letters

    def _parked_notifications(self, decoded: list[Decoded], applied: Applied) -> list[Notification]:
        """RAISED per aggregate parked now, and again (same id) for a redelivered parking event."""
        out = [parked_raised(p.parked.aggregate_id, p.parked.aggregate_type, p.parked.event_id,
                             p.parked.reason) for p in applied.parked]  # fmt: skip
        delivered = {d.envelope.meta.event_id for d in decoded}
        for aggregate_id, hold in applied.held.items():
            if hold.event_id in delivered:
                out.append(parked_raised(aggregate_id, self.aggregate_type, hold.event_id,
                                         hold.reason))  # fmt: skip
        return out

    def _record_of(self, envelope: Envelope) -> Record:
        """Return a record for an event read from the event store (never delivered here)."""
        key = envelope.meta.aggregate_id.encode()
        return Record(event_topic_for(self.aggregate_type), -1, -1, key, encode(envelope))


HandlerFactory = Callable[[], ProjectionHandler]
