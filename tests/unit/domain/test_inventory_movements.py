from __future__ import annotations

import pytest

from domain import (
    INITIAL,
    AdjustmentReason,
    AdjustStock,
    AlreadyExistsError,
    CreateInventory,
    InsufficientStockError,
    InventoryCreated_V1,
    IssueStock,
    NotFoundError,
    ReceiveStock,
    ReservationExceedsOnHandError,
    ReserveStock,
    StockAdjusted_V1,
    StockIssued_V1,
    StockReceived_V1,
    ValidationError,
)
from domain import inventory as inv
from domain.inventory import EMPTY_REFS, needs_refs

from .builders import INV, existing, refs, run


def stocked(on_hand: int = 10, reserved: int = 0) -> inv.Inventory:
    commands = [CreateInventory(INV), ReceiveStock(INV, on_hand)]
    if reserved:
        commands.append(ReserveStock(INV, "R-held", reserved))
    return existing(run(commands))


def test_creating_an_inventory_names_product_warehouse_and_zone() -> None:
    [event] = inv.decide(INITIAL, CreateInventory(INV), refs())
    assert event == InventoryCreated_V1(INV, "PRD-000001", "TKY", "TKY-01")
    state = existing(inv.evolve(INITIAL, event))
    assert (state.on_hand, state.reserved, state.available, state.version) == (0, 0, 0, 1)


def test_creating_an_inventory_twice_is_rejected() -> None:
    with pytest.raises(AlreadyExistsError):
        inv.decide(stocked(), CreateInventory(INV), refs())


@pytest.mark.parametrize(
    "command",
    [
        ReceiveStock(INV, 1),
        IssueStock(INV, 1),
        ReserveStock(INV, "R-1", 1),
        AdjustStock(INV, 1, AdjustmentReason.OTHER),
    ],
)
def test_every_command_on_a_missing_inventory_is_rejected(command: object) -> None:
    with pytest.raises(NotFoundError) as caught:
        inv.decide(INITIAL, command, refs())  # type: ignore[arg-type]
    assert caught.value.ids == {"inventory_id": INV}


def test_a_command_for_another_inventory_is_rejected() -> None:
    with pytest.raises(ValidationError):
        inv.decide(stocked(), ReceiveStock("PRD-000002@TKY-01", 1), refs())


def test_receiving_stock_adds_to_on_hand_and_carries_after_values() -> None:
    state = stocked(10, reserved=4)
    [event] = inv.decide(state, ReceiveStock(INV, 5, operator="佐藤", note="定期入荷"), refs())
    assert isinstance(event, StockReceived_V1)
    assert (event.quantity, event.on_hand_after, event.reserved_after, event.available_after) == (
        5,
        15,
        4,
        11,
    )
    assert (event.operator, event.note) == ("佐藤", "定期入荷")
    assert existing(inv.evolve(state, event)).on_hand == 15


@pytest.mark.parametrize("quantity", [0, -3])
def test_moving_zero_or_negative_units_is_rejected(quantity: int) -> None:
    for make in (ReceiveStock, IssueStock):
        with pytest.raises(ValidationError):
            make(INV, quantity)


def test_issuing_stock_removes_it_from_on_hand() -> None:
    [event] = inv.decide(stocked(10), IssueStock(INV, 3), EMPTY_REFS)
    assert isinstance(event, StockIssued_V1)
    assert (event.on_hand_after, event.reservation_id) == (7, None)


def test_issuing_more_than_available_is_rejected() -> None:
    with pytest.raises(InsufficientStockError):
        inv.decide(stocked(10, reserved=8), IssueStock(INV, 3))


def test_stock_never_goes_negative_through_an_issue() -> None:
    with pytest.raises(InsufficientStockError):
        inv.decide(stocked(2), IssueStock(INV, 3))


def test_adjusting_by_a_signed_delta_needs_a_reason() -> None:
    [event] = inv.decide(stocked(10), AdjustStock(INV, -2, AdjustmentReason.DAMAGE, note="落下"))
    assert isinstance(event, StockAdjusted_V1)
    assert (event.delta, event.reason, event.on_hand_after) == (-2, AdjustmentReason.DAMAGE, 8)
    with pytest.raises(ValidationError):
        AdjustStock(INV, -2, "理由なし")  # type: ignore[arg-type]


def test_an_adjustment_of_zero_is_rejected() -> None:
    with pytest.raises(ValidationError):
        AdjustStock(INV, 0, AdjustmentReason.STOCKTAKE_DIFFERENCE)


def test_an_adjustment_below_zero_is_rejected() -> None:
    with pytest.raises(InsufficientStockError):
        inv.decide(stocked(3), AdjustStock(INV, -4, AdjustmentReason.LOSS))


def test_an_adjustment_below_reserved_is_rejected() -> None:
    with pytest.raises(ReservationExceedsOnHandError):
        inv.decide(stocked(10, reserved=8), AdjustStock(INV, -3, AdjustmentReason.EXPIRED))


def test_available_is_on_hand_minus_reserved() -> None:
    state = stocked(10, reserved=4)
    assert (state.on_hand, state.reserved, state.available) == (10, 4, 6)


def test_only_commands_that_place_stock_need_refs() -> None:
    assert needs_refs(ReceiveStock(INV, 1)) and needs_refs(CreateInventory(INV))
    assert not needs_refs(IssueStock(INV, 1))
