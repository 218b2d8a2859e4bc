"""``zaiko projector parked`` and ``zaiko projector retry <aggregate>``.

A retry re-projects the aggregate from the event store after its 投影位置 (one Query:
an operator's action, not a recurring path) through the live projector's code, with
the aggregate's parking ignored. When every event applies, the aggregate is unparked;
then the events a running projector held back meanwhile (they reached it while the
aggregate was still parked) are read from the event store after the new position and
applied too. When an event fails again, the aggregate stays parked with the new
reason, position and attempts. Alerts and dead letters are published like the
projector's, before the command returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.eventstore.port import EventStore
from connectors.notifications import outgoing
from connectors.notifications.parked import parked_cleared
from connectors.postgres.parking import Parked, applied_position, find_parked, unpark
from schemas import EventEnvelope, Notification, decode_event
from streams.projection import BatchResult, ProjectionHandler
from streams.projector.output import Message, messages_of


class NotParkedError(Exception):
    """The aggregate named is not parked."""


@dataclass
class RetryReport:
    """What a retry did: events applied, and the parking left (None: unparked)."""

    aggregate_id: str
    applied: int = 0
    still_parked: Parked | None = None
    messages: list[Message] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)  # in ``messages`` too


def load_after(store: EventStore, aggregate_id: str, position: int) -> list[EventEnvelope[Any]]:
    """Return the aggregate's stored events after ``position`` (a Query of the journal)."""
    return [
        decode_event(s.payload) for s in store.load_events(aggregate_id, after_version=position)
    ]


def retry(handler: ProjectionHandler, store: EventStore, aggregate_id: str) -> RetryReport:
    """Re-project a parked aggregate from the event store; unpark it when all of it applies."""
    conn = handler.projector.connection
    parked = find_parked(conn, aggregate_id)
    if parked is None:
        raise NotParkedError(aggregate_id)
    report = RetryReport(aggregate_id)
    events = load_after(store, aggregate_id, applied_position(conn, aggregate_id))
    result, applied = handler.reproject(aggregate_id, events, force=True)
    _add(report, result)
    if applied.parked:
        report.still_parked = applied.parked[-1].parked
        return report
    unpark(conn, aggregate_id, parked.aggregate_type)
    cleared = parked_cleared(aggregate_id, parked.aggregate_type, parked.event_id)
    report.messages.append(Message(*outgoing(cleared)))
    report.notifications.append(cleared)
    later = load_after(store, aggregate_id, applied_position(conn, aggregate_id))
    if later:
        result, applied = handler.reproject(aggregate_id, later, force=False)
        _add(report, result)
        if applied.parked:
            report.still_parked = applied.parked[-1].parked
    return report


def _add(report: RetryReport, result: BatchResult) -> None:
    report.applied += result.applied
    report.messages.extend(messages_of(result))
    report.notifications.extend(result.notifications)


def produce(bootstrap_servers: str, messages: list[Message], timeout_s: float = 30.0) -> None:
    """Produce ``messages`` and wait until the broker acknowledged every one; raise otherwise."""
    if not messages:
        return
    from confluent_kafka import Producer

    failed: list[str] = []

    def delivered(err: Any, _message: Any) -> None:
        if err is not None:
            failed.append(str(err))

    producer = Producer({"bootstrap.servers": bootstrap_servers, "acks": "all"})
    for m in messages:
        producer.produce(m.topic, key=m.key, value=m.value, headers=list(m.headers.items()),
                         on_delivery=delivered)  # fmt: skip
    left = producer.flush(timeout_s)
    if left or failed:
        raise RuntimeError(f"{left + len(failed)} of {len(messages)} messages not published")
