"""Each event maps to one conditional cache write, named like the read model's columns."""

from __future__ import annotations

import json
from typing import Any

from connectors.redis import CacheProjector, Mode
from connectors.redis.entries import cache_write_for
from domain.customer.events import CustomerCreated_V1
from domain.enums import CustomerType
from domain.product.events import ProductDiscontinued_V1
from domain.warehouse.events import CapacityChanged_V1
from schemas import EventEnvelope
from tests.unit.alerts.events import envelope
from tests.unit.projections.builders import Scenario


def story() -> tuple[Scenario, list[EventEnvelope[Any]]]:
    s = Scenario.fresh()
    return s, s.full_story()


def write_of(env: EventEnvelope[Any]) -> Any:
    return cache_write_for(env.meta, env.event, "p")


def test_created_events_set_the_full_row_in_japanese_unescaped() -> None:
    s, events = story()
    product = next(e for e in events if e.meta.aggregate_id == s.product)
    write = write_of(product)
    assert (write.key, write.field, write.mode, write.version) == (
        f"p:product:{s.product}", "state", Mode.SET, 1,
    )  # fmt: skip
    assert "緑茶 500ml" in write.payload
    assert json.loads(write.payload)["保管条件"] == "常温"


def test_partial_master_events_patch() -> None:
    meta = envelope(created_like := ProductDiscontinued_V1("PRD-000001", "終売", "廃止"), 3).meta
    write = cache_write_for(meta, created_like, "p")
    assert write is not None and write.mode is Mode.PATCH
    assert json.loads(write.payload)["ステータス"] == "廃止"
    capacity = CapacityChanged_V1("TKY", 100, 200)
    write = cache_write_for(meta, capacity, "p")
    assert write is not None and (write.key, json.loads(write.payload)["容量"]) == (
        "p:warehouse:TKY",
        200,
    )


def test_stock_movements_set_the_zone_field_of_the_product_hash() -> None:
    s, events = story()
    received = next(e for e in events if type(e.event).__name__ == "StockReceived_V1")
    write = write_of(received)
    assert (write.key, write.field, write.mode) == (f"p:inventory:product:{s.product}",
                                                    f"{s.w1}-01", Mode.SET)  # fmt: skip
    value = json.loads(write.payload)
    assert (value["現在庫数"], value["引当済数"], value["有効在庫数"], value["区画番号"]) == (
        100,
        0,
        100,
        "01",
    )


def test_events_that_leave_figures_unchanged_patch_nothing_but_the_version() -> None:
    _, events = story()
    completed = next(e for e in events if type(e.event).__name__ == "TransferCompleted_V1")
    write = write_of(completed)
    assert (write.mode, write.payload) == (Mode.PATCH, "{}")


def test_a_redelivered_event_only_invalidates_and_uncached_aggregates_are_ignored() -> None:
    _, events = story()
    projector = CacheProjector(store=None, prefix="p")  # type: ignore[arg-type]
    writes = projector.writes_for(events[:3], redelivered=True)
    assert {w.mode for w in writes} == {Mode.DROP}
    customer = CustomerCreated_V1(
        "CUS-0001", "CMP-0001", "店", CustomerType.SUPERMARKET, "", "", True
    )
    assert projector.writes_for([envelope(customer, 1)]) == []
    assert projector.stats.ignored == 1
