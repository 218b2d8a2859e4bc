"""Low-stock alerts on the embedded Postgres: zone thresholds, restarts and redelivery."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from compose.stack import Stack
from connectors.alerts import LowStockDetector
from connectors.postgres import PostgresProjector
from tests.unit.alerts.events import fresh_inventory, stock_at
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration


@pytest.fixture
def url(stack: Stack) -> str:
    return stack.settings.effective_database_url


@pytest.fixture
def detector(url: str) -> Iterator[LowStockDetector]:
    instance = LowStockDetector.connect(url, default_threshold=10)
    yield instance
    instance.close()


def ids(alerts: list[Any]) -> list[str]:
    return [a.alert_id for a in alerts]


def test_alert_state_survives_a_restart_and_redelivery_repeats_the_same_alert(url: str) -> None:
    inv = fresh_inventory()
    first = LowStockDetector.connect(url, default_threshold=10)
    try:
        assert first.alerts_for(stock_at(inv, 2, 30)) == []
        fired = first.alerts_for(stock_at(inv, 3, 8))
        assert ids(fired) == [f"{inv}:3"] and fired[0].threshold == 10
    finally:
        first.close()  # the worker dies before acking event 3
    restarted = LowStockDetector.connect(url, default_threshold=10)
    try:
        assert restarted.alerts_for(stock_at(inv, 3, 8)) == fired  # same alert, same id
        assert restarted.alerts_for(stock_at(inv, 2, 30)) == []  # older: a no-op
        assert restarted.alerts_for(stock_at(inv, 4, 5)) == []  # still below: disarmed
        assert restarted.alerts_for(stock_at(inv, 5, 10)) == []  # recovered: re-armed
        assert ids(restarted.alerts_for(stock_at(inv, 6, 9))) == [f"{inv}:6"]
    finally:
        restarted.close()


def test_a_batch_with_duplicates_fires_once_per_crossing(detector: LowStockDetector) -> None:
    inv = fresh_inventory()
    values = [50, 9, 9, 3, 12, 0, 40, 1]
    story = [stock_at(inv, seq, v) for seq, v in enumerate(values, start=1)]
    alerts = detector.alerts_for_batch([story[0], story[1], story[1], story[2], story[0]])
    alerts += detector.alerts_for_batch(story[3:] + story[5:6])
    assert ids(alerts) == [f"{inv}:2", f"{inv}:6", f"{inv}:8"]


def test_the_zones_own_threshold_overrides_the_default(url: str) -> None:
    s = Scenario.fresh()
    s.masters()
    projector = PostgresProjector.connect(url)
    try:
        for envelope in s.recorder.envelopes:
            projector.apply(envelope)
    finally:
        projector.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO 区画別在庫閾値 (倉庫コード, 区画番号, 閾値) VALUES (%s, '01', 50)", (s.w1,)
        )
    detector = LowStockDetector.connect(url, default_threshold=10)
    try:
        own, default = s.inventory(s.w1), s.inventory(s.w2)
        alerts = detector.alerts_for_batch([stock_at(own, 1, 40), stock_at(default, 1, 40)])
        assert [(a.zone_id, a.available, a.threshold) for a in alerts] == [(f"{s.w1}-01", 40, 50)]
    finally:
        detector.close()
