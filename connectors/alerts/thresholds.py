"""Per-zone low-stock thresholds from Postgres (区画閾値), cached in process for a while."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psycopg

LOOKUP = "SELECT 区画閾値(%s, %s, %s)"


class ThresholdCache:
    """Thresholds per (倉庫コード, 区画番号); an operator's change is seen within ``ttl_s``."""

    def __init__(
        self,
        default_threshold: int,
        ttl_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if default_threshold < 0:
            raise ValueError("the default threshold must be >= 0")
        self.default_threshold = default_threshold
        self.ttl_s = ttl_s
        self._clock = clock
        self._cached: dict[tuple[str, str], tuple[float, int]] = {}

    def get(self, cursor: psycopg.Cursor[Any], warehouse_id: str, zone_no: str) -> int:
        """Return the zone's threshold (the default when the zone has none)."""
        now = self._clock()
        hit = self._cached.get((warehouse_id, zone_no))
        if hit is not None and now - hit[0] < self.ttl_s:
            return hit[1]
        row = cursor.execute(LOOKUP, (warehouse_id, zone_no, self.default_threshold)).fetchone()
        threshold = self.default_threshold if row is None or row[0] is None else int(row[0])
        self._cached[(warehouse_id, zone_no)] = (now, threshold)
        return threshold

    def forget(self) -> None:
        """Drop every cached threshold (e.g. after an operator changed one)."""
        self._cached.clear()
