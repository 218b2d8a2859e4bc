"""The bridge's metric families: records bridged, lag behind the stream, lease held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from connectors.metrics import counter, gauge

RECORDS = counter(
    "zaiko_bridge_records_total",
    "Messages the bridge published after Kafka acked them: to an event topic (published)"
    " or to dead-letter (dead_lettered: unreadable journal items, unknown aggregate types).",
    ("outcome",),
)
LAG = gauge(
    "zaiko_bridge_lag_seconds",
    "Seconds the bridge is behind the journal's stream: now minus the"
    " ApproximateCreationDateTime of the newest record of its last read; 0 once a read"
    " of every shard returns no records (caught up).",
)
LEASE_HELD = gauge(
    "zaiko_bridge_lease_held",
    "1 while this bridge instance holds the bridge lease (and publishes), 0 on standby.",
)


def created_at_s(record: Mapping[str, Any]) -> float | None:
    """Return a stream record's ApproximateCreationDateTime in epoch seconds, if it has one."""
    created = record.get("dynamodb", {}).get("ApproximateCreationDateTime")
    if isinstance(created, dt.datetime):  # boto3 parses it
        return created.timestamp()
    if isinstance(created, int | float | Decimal):  # raw JSON: epoch seconds
        return float(created)
    return None
