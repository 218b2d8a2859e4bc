"""Alerts are keyed by inventory id, as docs/contract.md says."""

from __future__ import annotations

from connectors.alerts import alert_for, observation_of
from streams.projector.runtime import alert_key
from tests.unit.alerts.events import fresh_inventory, stock_at


def test_an_alert_is_keyed_by_its_inventory_id() -> None:
    inventory = fresh_inventory("TKY", "03")
    observation = observation_of(stock_at(inventory, 4, 2))
    assert observation is not None
    assert alert_key(alert_for(observation, 10)) == inventory.encode()
