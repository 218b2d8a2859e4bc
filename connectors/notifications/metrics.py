"""Metric families of notifications (defined at import time, one home per package)."""

from __future__ import annotations

from connectors.metrics import counter

NOTIFICATIONS = counter(
    "zaiko_notifications_total",
    "Notifications published to inventory.notifications, by kind and state.",
    ("kind", "state"),
)
