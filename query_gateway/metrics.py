"""The Query API's metric families: master-cache hits and misses, read-model gauges.

The read-model gauges are computed from PostgreSQL on scrape, at most every
``max_age_s`` (10 s), with a 2 s statement timeout: 区画稼働率 reads the view 区画使用率
the Query API's ``zoneSummaries`` reads (a few rows per zone), stock units the view
カテゴリ保管条件別在庫集計 (an aggregate of the pre-summed 商品別在庫集計, one row per
product): the cost follows the master data, never the history.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from connectors.metrics import counter
from connectors.postgres.conninfo import Timeouts, with_timeouts

log = logging.getLogger(__name__)

CACHE_REQUESTS = counter(
    "zaiko_cache_requests_total",
    "Master rows (product, warehouse, zone) the Query API looked up in Redis: hit (served"
    " from the cache) or miss (read from PostgreSQL; a Redis failure counts as misses).",
    ("cache", "result"),
)
ZONE_UTILISATION = (
    "zaiko_zone_utilization_ratio",
    "区画稼働率 = 現在庫数 / 区画容量 of each zone (view 区画使用率, as the Query API's"
    " zoneSummaries.utilisation), 0..1; zones of capacity 0 or not projected are absent.",
)
STOCK_UNITS = (
    "zaiko_stock_units",
    "現在庫数 (units on hand) by カテゴリ (食品類/日用品; 未登録 before the product is"
    " projected) and 保管条件 (常温/冷蔵/冷凍); the 食品類/日用品 ratio is"
    ' sum(zaiko_stock_units{category="食品類"}) / sum(zaiko_stock_units).',
)
ZONES = "SELECT 倉庫コード, 区画番号, 使用率 FROM 区画使用率 WHERE 使用率 IS NOT NULL"
CATEGORIES = "SELECT カテゴリ, 保管条件, 現在庫数 FROM カテゴリ保管条件別在庫集計"
QUICK = Timeouts(connect_s=2, statement_ms=2000, lock_ms=1000, idle_in_transaction_ms=5000)
Rows = list[tuple[Any, ...]]


def count_cache(cache: str, hits: int, misses: int) -> None:
    """Count ``hits`` and ``misses`` of one lookup of master rows of kind ``cache``."""
    CACHE_REQUESTS.labels(cache, "hit").inc(hits)
    CACHE_REQUESTS.labels(cache, "miss").inc(misses)


class ReadModelGauges(Collector):
    """区画稼働率 and stock units, read from PostgreSQL on scrape (cached ``max_age_s``)."""

    def __init__(self, database_url: str, max_age_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self._url = database_url
        self._max_age_s = max_age_s
        self._clock = clock
        self._lock = threading.Lock()  # scrapes may come in parallel
        self._read_at: float | None = None
        self._rows: tuple[Rows, Rows] = ([], [])
        self.reads = 0  # how often PostgreSQL was asked (tests read it)

    def describe(self) -> Iterator[Metric]:
        """Name the families without reading PostgreSQL (at registration)."""
        return iter(self._families(([], [])))

    def collect(self) -> Iterator[Metric]:
        """Yield the gauges from rows at most ``max_age_s`` old; none when PostgreSQL fails."""
        with self._lock:
            now = self._clock()
            if self._read_at is None or now - self._read_at >= self._max_age_s:
                self._read_at = now
                self._rows = self._read()
            rows = self._rows
        return iter(self._families(rows))

    def _read(self) -> tuple[Rows, Rows]:
        self.reads += 1
        try:
            with psycopg.connect(with_timeouts(self._url, QUICK), autocommit=True) as conn:
                return conn.execute(ZONES).fetchall(), conn.execute(CATEGORIES).fetchall()
        except psycopg.Error as e:
            log.warning("read-model gauges not read: %s", str(e).strip())
            return [], []

    @staticmethod
    def _families(rows: tuple[Rows, Rows]) -> list[Metric]:
        zones = GaugeMetricFamily(*ZONE_UTILISATION, labels=("warehouse", "zone"))
        for warehouse, zone, ratio in rows[0]:
            zones.add_metric((str(warehouse).strip(), str(zone)), float(ratio))
        units = GaugeMetricFamily(*STOCK_UNITS, labels=("category", "storage_condition"))
        for category, condition, on_hand in rows[1]:
            units.add_metric((str(category), str(condition)), float(on_hand or 0))
        return [zones, units]


_registered: list[ReadModelGauges] = []


def register_read_model_gauges(database_url: str) -> ReadModelGauges:
    """Register the gauges in the default registry once per process; return them."""
    if not _registered:
        gauges = ReadModelGauges(database_url)
        REGISTRY.register(gauges)
        _registered.append(gauges)
    return _registered[0]
