"""The batch's 在庫 rows coalesce to their last figures; summaries get after - before."""

from __future__ import annotations

import datetime as dt

from connectors.postgres.rows import StockChange
from connectors.postgres.stock import Figures, StockBook

AT = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def change(
    inventory_id: str, on_hand: int | None, reserved: int | None, transit: int = 0
) -> StockChange:
    product, zone = inventory_id.split("@")
    return StockChange(inventory_id, product, zone[:3], zone[4:], AT, on_hand, reserved, transit)


def test_several_events_on_one_row_give_one_upsert_with_the_last_figures() -> None:
    book = StockBook({})
    book.apply(change("PRD-000001@TKY-01", None, None))
    book.apply(change("PRD-000001@TKY-01", 10, 0))
    book.apply(change("PRD-000001@TKY-01", 7, 2, transit=3))
    assert book.upserts() == [("PRD-000001@TKY-01", "PRD-000001", "TKY", "01", 7, 2, 3, AT)]


def test_summary_deltas_start_from_the_stored_figures_and_count_new_rows() -> None:
    book = StockBook({"PRD-000001@TKY-01": Figures(50, 5, 0, exists=True)})
    book.apply(change("PRD-000001@TKY-01", 40, 5))
    book.apply(change("PRD-000001@OSK-01", None, None))
    book.apply(change("PRD-000001@OSK-01", 12, 0))
    deltas = book.deltas()
    assert deltas["product"] == [("PRD-000001", 2, 0, 0, 1, AT)]
    assert deltas["warehouse"] == [("OSK", 12, 0, 0, 1, AT), ("TKY", -10, 0, 0, 0, AT)]
    assert deltas["zone"] == [("OSK", "01", 12, 0, 0, 1, AT), ("TKY", "01", -10, 0, 0, 0, AT)]


def test_a_row_that_ends_where_it_started_adds_no_summary_delta() -> None:
    book = StockBook({"PRD-000001@TKY-01": Figures(50, 5, 0, exists=True)})
    book.apply(change("PRD-000001@TKY-01", 60, 5))
    book.apply(change("PRD-000001@TKY-01", 50, 5))
    assert book.deltas() == {"product": [], "warehouse": [], "zone": []}
