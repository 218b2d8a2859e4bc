"""``zaiko alerts tail``: which alerts it shows and how they read."""

from __future__ import annotations

import io
import json

from rich.console import Console

from connectors.alerts import alert_for, observation_of
from connectors.alerts.tail import TailFilter, alert_json, alert_row
from schemas import LowStockAlert
from tests.unit.alerts.events import fresh_inventory, stock_at


def an_alert(available: int = 3) -> LowStockAlert:
    observation = observation_of(stock_at(fresh_inventory("TKY", "02"), 5, available))
    assert observation is not None
    return alert_for(observation, 10)


def test_the_filter_keeps_alerts_since_the_start_and_of_the_product_asked_for() -> None:
    alert = an_alert()
    assert TailFilter().keeps(0, alert)
    assert not TailFilter(since_ms=1_000).keeps(999, alert)
    assert TailFilter(since_ms=1_000, product_id=alert.product_id).keeps(1_000, alert)
    assert not TailFilter(product_id="PRD-000000").keeps(0, alert)


def test_a_json_line_keeps_japanese_time_and_every_field() -> None:
    alert = an_alert()
    document = json.loads(alert_json(alert))
    assert document["alert_id"] == alert.alert_id
    assert (document["available"], document["threshold"]) == (3, 10)
    assert document["occurred_at"].startswith("2026-04-01T")


def test_a_row_shows_japanese_headers_once_and_the_time_in_japan() -> None:
    out = io.StringIO()
    console = Console(file=out, width=160, color_system=None)
    alert = an_alert(0)
    console.print(alert_row(alert, header=True))
    console.print(alert_row(alert, header=False))
    text = out.getvalue()
    assert text.count("有効在庫数") == 1
    assert text.count(alert.alert_id) == 2
    assert "2026-04-01 09:35:00" in text  # 00:35 UTC is 09:35 in Tokyo
