"""Parked aggregates: RAISED when a projection parks one, CLEARED when a retry unparks it.

The episode is the event that parked the aggregate, so the parking event redelivered
(the process died before publishing) raises the same notification (same id) again.
"""

from __future__ import annotations

from connectors.notifications.records import Kind, State, notification
from schemas import Notification


def parked_raised(aggregate_id: str, aggregate_type: str, event_id: str,
                  reason: str) -> Notification:  # fmt: skip
    """Return the RAISED notification of an aggregate parked at ``event_id``."""
    text = f"{aggregate_type} {aggregate_id} の投影を保留しました (イベント {event_id}): {reason}"
    return notification(Kind.AGGREGATE_PARKED, State.RAISED, aggregate_id, event_id, text)


def parked_cleared(aggregate_id: str, aggregate_type: str, event_id: str) -> Notification:
    """Return the CLEARED notification of an aggregate unparked (parked at ``event_id``)."""
    text = f"{aggregate_type} {aggregate_id} の投影を再開しました (保留イベント {event_id})"
    return notification(Kind.AGGREGATE_PARKED, State.CLEARED, aggregate_id, event_id, text)
