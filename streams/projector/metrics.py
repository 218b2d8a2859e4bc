"""The projector's metric families: events projected, lag per aggregate type, parked aggregates."""

from __future__ import annotations

from connectors.metrics import counter, gauge

EVENTS = counter(
    "zaiko_projection_events_total",
    "Event records the projector finished (their outputs acked), by aggregate type and"
    " outcome: applied (written to the read model, gap-healing events included), skipped"
    " (redelivered, already applied or held back behind a parking), dead_lettered"
    " (undecodable, or its aggregate is parked).",
    ("aggregate_type", "outcome"),
)
LAG_EVENTS = gauge(
    "zaiko_projection_lag_events",
    "Events of <aggregate_type>.events not yet projected by this projector: per assigned"
    " partition, the highwater the broker reported in its last Fetch response minus the"
    " next offset to project, summed (never from ListOffsets).",
    ("aggregate_type",),
)
LAG_SECONDS = gauge(
    "zaiko_projection_lag_seconds",
    "Seconds the projection is behind the journal while events are behind (else 0): now"
    " minus occurred_at of the newest event applied, or of the moment lag was first seen"
    " when none was applied yet.",
    ("aggregate_type",),
)
PARKED = gauge(
    "zaiko_projection_parked_aggregates",
    "Aggregates parked in the read model (投影保留), by aggregate type: their events wait"
    " for `zaiko projector retry`.",
    ("aggregate_type",),
)
