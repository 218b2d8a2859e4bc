"""Figures of one scrape of every service's /metrics, and what two scrapes say together.

A ``Sample`` keeps only sums of the families the page plots (a few numbers and one
histogram's buckets), never the whole exposition, so the history's size is fixed by
its length. A family nobody exposes yet stays None and the page shows "—".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

COMMANDS = "zaiko_commands_total"
OUTCOME = "zaiko_command_outcome_seconds"
# gauge name -> how the page folds its series (per partition, aggregate type, instance)
GAUGES: dict[str, Callable[[list[float]], float]] = {
    "zaiko_projection_lag_events": sum,
    "zaiko_projection_lag_seconds": max,
    "zaiko_bridge_lag_seconds": max,
    "zaiko_kafka_consumer_lag": sum,
}


@dataclass(frozen=True)
class Sample:
    """What one scrape of all endpoints found (None: no endpoint exposes the family)."""

    at: float  # epoch seconds
    commands: float | None = None
    outcome_buckets: tuple[tuple[float, float], ...] | None = None  # (le, cumulative count)
    gauges: Mapping[str, float | None] = field(default_factory=dict)


def parse(at: float, texts: Iterable[str]) -> Sample:
    """Return the sample the exposition ``texts`` of the endpoints that answered make up."""
    commands: float | None = None
    buckets: dict[float, float] = {}
    values: dict[str, list[float]] = {name: [] for name in GAUGES}
    for text in texts:
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                if s.name == COMMANDS:
                    commands = (commands or 0.0) + s.value
                elif s.name == f"{OUTCOME}_bucket":
                    le = float(s.labels["le"])
                    buckets[le] = buckets.get(le, 0.0) + s.value
                elif s.name in values:
                    values[s.name].append(s.value)
    gauges = {name: (GAUGES[name](v) if v else None) for name, v in values.items()}
    return Sample(at, commands, tuple(sorted(buckets.items())) or None, gauges)


def quantile(q: float, buckets: Iterable[tuple[float, float]]) -> float | None:
    """Return the ``q`` quantile of cumulative ``(le, count)`` buckets, as Prometheus does."""
    ordered = sorted(buckets)
    if not ordered or ordered[-1][1] <= 0:
        return None
    rank = q * ordered[-1][1]
    lower_le, lower_count = 0.0, 0.0
    for le, count in ordered:
        if count >= rank:
            if math.isinf(le):  # in the overflow bucket: the highest finite bound
                return lower_le
            if count == lower_count:
                return le
            return lower_le + (le - lower_le) * (rank - lower_count) / (count - lower_count)
        lower_le, lower_count = le, count
    return lower_le


def bucket_delta(new: Sample, old: Sample) -> list[tuple[float, float]] | None:
    """Return the observations between two samples per bucket; None across a reset."""
    if new.outcome_buckets is None or old.outcome_buckets is None:
        return None
    before = dict(old.outcome_buckets)
    delta = [(le, count - before.get(le, 0.0)) for le, count in new.outcome_buckets]
    return None if any(d < 0 for _, d in delta) else delta


def point(new: Sample, previous: Sample | None, window_start: Sample | None) -> dict[str, Any]:
    """Return the page's point: rate since ``previous``, latency since ``window_start``."""
    rate = None
    if previous is not None and new.commands is not None and previous.commands is not None:
        elapsed = new.at - previous.at
        if elapsed > 0 and new.commands >= previous.commands:
            rate = (new.commands - previous.commands) / elapsed
    delta = bucket_delta(new, window_start) if window_start is not None else None
    return {
        "at": round(new.at * 1000),
        "commands_total": new.commands,
        "commands_per_s": rate,
        "latency_p50_s": quantile(0.5, delta) if delta else None,
        "latency_p99_s": quantile(0.99, delta) if delta else None,
        "projection_lag_events": new.gauges.get("zaiko_projection_lag_events"),
        "projection_lag_seconds": new.gauges.get("zaiko_projection_lag_seconds"),
        "bridge_lag_seconds": new.gauges.get("zaiko_bridge_lag_seconds"),
        "consumer_lag": new.gauges.get("zaiko_kafka_consumer_lag"),
    }
