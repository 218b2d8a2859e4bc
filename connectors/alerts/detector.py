"""The low-stock detector: decoded inventory events in, LowStockAlert records to publish out.

The caller (the alerts agent) publishes the returned alerts to ``inventory.alerts`` and
acks the events only afterwards. The state is committed before publishing, so a crash in
between is healed by redelivery: the same event returns the same alert (same alert_id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import psycopg

from connectors.alerts.decision import evaluate, observation_of
from connectors.alerts.state import lock_state, save_state
from connectors.alerts.thresholds import ThresholdCache
from connectors.postgres.conninfo import with_timeouts
from schemas import EventEnvelope, LowStockAlert


@dataclass
class DetectorStats:
    """What a detector did (cumulative)."""

    evaluated: int = 0
    alerts: int = 0
    ignored: int = 0


class LowStockDetector:
    """Evaluates inventory events against per-zone thresholds with state kept in Postgres."""

    def __init__(self, conn: psycopg.Connection[Any], thresholds: ThresholdCache) -> None:
        if not conn.autocommit:
            raise ValueError("the detector needs an autocommit connection (it opens its own)")
        self._conn = conn
        self.thresholds = thresholds
        self.stats = DetectorStats()

    @classmethod
    def connect(
        cls, database_url: str, default_threshold: int, threshold_ttl_s: float = 30.0
    ) -> LowStockDetector:
        """Open a connection for a new detector (default: setting low_stock_default_threshold)."""
        conn = psycopg.connect(with_timeouts(database_url), autocommit=True)
        return cls(conn, ThresholdCache(default_threshold, threshold_ttl_s))

    def close(self) -> None:
        """Close the detector's connection."""
        self._conn.close()

    def alerts_for(self, envelope: EventEnvelope[Any]) -> list[LowStockAlert]:
        """Return the alerts one event raises (none, or one)."""
        return self.alerts_for_batch([envelope])

    def alerts_for_batch(self, envelopes: Iterable[EventEnvelope[Any]]) -> list[LowStockAlert]:
        """Evaluate events in order in one transaction; return the alerts to publish."""
        observations = []
        for envelope in envelopes:
            obs = observation_of(envelope)
            if obs is None:
                self.stats.ignored += 1
            else:
                observations.append(obs)
        if not observations:
            return []
        alerts: list[LowStockAlert] = []
        with self._conn.transaction(), self._conn.cursor() as cursor:
            # Lock rows in id order so concurrent batches never deadlock on each other.
            ids = sorted({o.inventory_id for o in observations})
            before = {inventory_id: lock_state(cursor, inventory_id) for inventory_id in ids}
            states = dict(before)
            for obs in observations:
                threshold = self.thresholds.get(cursor, obs.warehouse_id, obs.zone_no)
                states[obs.inventory_id], alert = evaluate(states[obs.inventory_id], obs, threshold)
                if alert is not None and alert not in alerts:  # a duplicate within the batch
                    alerts.append(alert)
            for inventory_id in ids:
                if states[inventory_id] != before[inventory_id]:
                    save_state(cursor, inventory_id, states[inventory_id])
        self.stats.evaluated += len(observations)
        self.stats.alerts += len(alerts)
        return alerts
