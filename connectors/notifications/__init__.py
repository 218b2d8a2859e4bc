"""Operator notifications (seed §11.3) on ``inventory.notifications``.

Trackers and evaluators here are plain classes: no Kafka client. The worker and the
projector publish what they return through their own producers, then ``commit``.
"""

from __future__ import annotations

from connectors.notifications.allocation import AllocationWatch, Answered
from connectors.notifications.hours import BusinessHours
from connectors.notifications.probe import LatencyProbe
from connectors.notifications.records import (
    STATE_LABELS,
    TITLES,
    notification,
    notification_id,
    outgoing,
    published,
)
from connectors.notifications.rounds import Evaluator, Round, SiteWatch
from connectors.notifications.shared import SharedState
from connectors.notifications.tracker import Condition, ThresholdTracker

__all__ = [
    "STATE_LABELS",
    "TITLES",
    "AllocationWatch",
    "Answered",
    "BusinessHours",
    "Condition",
    "Evaluator",
    "LatencyProbe",
    "Round",
    "SharedState",
    "SiteWatch",
    "ThresholdTracker",
    "notification",
    "notification_id",
    "outgoing",
    "published",
]
