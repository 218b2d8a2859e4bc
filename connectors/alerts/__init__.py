"""Low-stock alerts: once per downward crossing of a zone's threshold, re-armed on recovery."""

from __future__ import annotations

from connectors.alerts.decision import (
    AlertState,
    Observation,
    alert_for,
    alert_id,
    crossing,
    evaluate,
    observation_of,
)
from connectors.alerts.detector import DetectorStats, LowStockDetector
from connectors.alerts.thresholds import ThresholdCache

__all__ = [
    "AlertState",
    "DetectorStats",
    "LowStockDetector",
    "Observation",
    "ThresholdCache",
    "alert_for",
    "alert_id",
    "crossing",
    "evaluate",
    "observation_of",
]
