"""Inventory events map to 在庫 figures, 受払履歴 rows and 保管条件違反 rows (no database)."""

from __future__ import annotations

from typing import Any

from connectors.postgres.handlers import INVENTORY_HANDLERS, MASTER_HANDLERS
from connectors.postgres.rows import Effect
from domain.messages import EVENTS
from schemas import EventEnvelope
from tests.unit.projections.builders import Scenario


def effects(story: list[EventEnvelope[Any]], inventory_id: str) -> list[Effect]:
    return [
        INVENTORY_HANDLERS[type(e.event)](e.meta, e.event)
        for e in story
        if e.meta.aggregate_id == inventory_id
    ]


def test_every_domain_event_has_exactly_one_projection_handler() -> None:
    handled = {cls.__name__ for cls in (*INVENTORY_HANDLERS, *MASTER_HANDLERS)}
    assert handled == set(EVENTS)
    assert not set(INVENTORY_HANDLERS) & set(MASTER_HANDLERS)


def test_movements_write_signed_ledger_rows_and_reservations_write_none() -> None:
    s = Scenario.fresh()
    story = s.full_story()
    rows = [(x.ledger.kind, x.ledger.quantity, x.ledger.on_hand_after)
            for x in effects(story, s.inventory(s.w1)) if x.ledger]  # fmt: skip
    assert rows == [("入庫", 100, 100), ("出庫", -20, 80), ("移動", -25, 55), ("調整", -5, 50)]
    assert sum(quantity for _, quantity, _ in rows) == 50


def test_the_ledger_row_is_keyed_by_the_event_id_and_carries_time_and_sequence() -> None:
    s = Scenario.fresh()
    receipt = next(e for e in s.full_story() if type(e.event).__name__ == "StockReceived_V1")
    row = INVENTORY_HANDLERS[type(receipt.event)](receipt.meta, receipt.event).ledger
    assert row is not None
    assert (row.event_id, row.at, row.sequence_nr) == (
        receipt.meta.event_id, receipt.meta.occurred_at, receipt.meta.sequence_nr)  # fmt: skip
    assert (row.operator, row.note, row.zone_no) == ("山田", "初回入荷", "01")


def test_both_transfer_legs_name_the_same_source_and_destination() -> None:
    s = Scenario.fresh()
    story = s.full_story()
    out = next(x for x in effects(story, s.inventory(s.w1)) if x.ledger and x.ledger.transfer_id)
    into = next(x for x in effects(story, s.inventory(s.w2)) if x.ledger)
    for leg in (out.ledger, into.ledger):
        assert leg is not None
        assert (leg.from_warehouse, leg.from_zone_no, leg.to_warehouse, leg.to_zone_no) == (
            s.w1, "01", s.w2, "01")  # fmt: skip
    assert out.change is not None and out.change.in_transit_delta == 25
    assert into.change is not None and into.change.in_transit_delta == 0


def test_completion_clears_in_transit_without_touching_the_figures() -> None:
    s = Scenario.fresh()
    done = [x for x in effects(s.full_story(), s.inventory(s.w1)) if x.ledger is None][-1]
    assert done.change is not None
    assert (done.change.on_hand, done.change.reserved, done.change.in_transit_delta) == (
        None, None, -25)  # fmt: skip


def test_a_refused_placement_becomes_a_violation_row_and_no_stock_change() -> None:
    s = Scenario.fresh()
    (violation,) = effects(s.full_story(), s.inventory(s.w1, "02"))
    assert violation.change is None and violation.ledger is None
    assert violation.violation is not None
    assert violation.violation[5:8] == ("常温", "冷蔵", "CreateInventory")
