from __future__ import annotations

import pytest

from domain import (
    CompensateTransfer,
    CompleteTransfer,
    CreateInventory,
    DuplicateTransferError,
    InsufficientStockError,
    NotFoundError,
    ReceiveStock,
    ReserveStock,
    StockTransferred_V1,
    StorageCondition,
    StorageConditionViolationError,
    TransferAlreadySettledError,
    TransferCompleted_V1,
    TransferDirection,
    TransferStockIn,
    TransferStockOut,
    UnknownTransferError,
    ValidationError,
    WarehouseInactiveError,
    ZoneTransferred_V1,
    ZoneType,
)
from domain import inventory as inv

from .builders import INV, INV_OSAKA, INV_SAME_WAREHOUSE, apply, existing, refs, run

SOURCE = [CreateInventory(INV), ReceiveStock(INV, 10)]


def source(*more: object) -> inv.Inventory:
    return existing(run([*SOURCE, *more]))  # type: ignore[list-item]


def destination(inventory_id: str = INV_OSAKA) -> inv.Inventory:
    return existing(run([CreateInventory(inventory_id)], inventory_id))


def test_sending_out_between_warehouses_emits_stock_transferred() -> None:
    state = source()
    [event] = inv.decide(state, TransferStockOut(INV, "T-1", INV_OSAKA, 4, operator="鈴木"))
    assert isinstance(event, StockTransferred_V1)
    assert (event.direction, event.counterpart_inventory_id, event.counterpart_warehouse_id) == (
        TransferDirection.OUT,
        INV_OSAKA,
        "OSK",
    )
    assert (event.quantity, event.on_hand_after, event.available_after) == (4, 6, 6)
    after = existing(inv.evolve(state, event))
    assert event.out_sequence_nr == after.version  # the leg names itself
    pending = inv.PendingTransfer(4, INV_OSAKA, after.version, named=True)
    assert after.pending_transfers["T-1"] == pending
    assert after.on_hand + after.pending_outbound == 10


def test_sending_out_within_a_warehouse_emits_zone_transferred() -> None:
    [event] = inv.decide(source(), TransferStockOut(INV, "T-1", INV_SAME_WAREHOUSE, 4))
    assert isinstance(event, ZoneTransferred_V1)
    assert event.counterpart_zone_id == "TKY-03"


def test_a_transfer_needs_the_same_product_in_another_zone() -> None:
    with pytest.raises(ValidationError):
        TransferStockOut(INV, "T-1", "PRD-000002@OSK-01", 1)
    with pytest.raises(ValidationError):
        TransferStockOut(INV, "T-1", INV, 1)


def test_sending_out_more_than_available_is_rejected() -> None:
    with pytest.raises(InsufficientStockError):
        inv.decide(source(ReserveStock(INV, "R-1", 8)), TransferStockOut(INV, "T-1", INV_OSAKA, 3))


def test_reusing_a_transfer_id_for_a_new_outbound_is_rejected() -> None:
    state = source(TransferStockOut(INV, "T-1", INV_OSAKA, 1))
    with pytest.raises(DuplicateTransferError):
        inv.decide(state, TransferStockOut(INV, "T-1", INV_OSAKA, 1))


def test_receiving_a_transfer_adds_stock_once_per_transfer_id() -> None:
    state = destination()
    command = TransferStockIn(INV_OSAKA, "T-1", INV, 4)
    [event] = inv.decide(state, command, refs(INV_OSAKA))
    assert isinstance(event, StockTransferred_V1)
    assert (event.direction, event.counterpart_inventory_id, event.on_hand_after) == (
        TransferDirection.IN,
        INV,
        4,
    )
    after = existing(inv.evolve(state, event))
    assert inv.decide(after, command, refs(INV_OSAKA)) == []


def test_receiving_a_transfer_into_a_missing_inventory_is_rejected() -> None:
    with pytest.raises(NotFoundError):
        inv.decide(inv.INITIAL, TransferStockIn(INV_OSAKA, "T-1", INV, 4), refs(INV_OSAKA))


def test_a_transfer_into_an_inactive_warehouse_is_refused() -> None:
    with pytest.raises(WarehouseInactiveError):
        inv.decide(
            destination(),
            TransferStockIn(INV_OSAKA, "T-1", INV, 4),
            refs(INV_OSAKA, warehouse_active=False),
        )


def test_a_transfer_into_a_mismatched_zone_is_refused_and_recorded() -> None:
    mismatch = refs(INV_OSAKA, condition=StorageCondition.FROZEN, zone_type=ZoneType.AMBIENT)
    with pytest.raises(StorageConditionViolationError) as caught:
        inv.decide(destination(), TransferStockIn(INV_OSAKA, "T-1", INV, 4), mismatch)
    [violation] = caught.value.events_to_record
    assert violation.transfer_id == "T-1"  # type: ignore[attr-defined]


def test_compensating_puts_the_units_back_with_a_return_leg() -> None:
    state = source(TransferStockOut(INV, "T-1", INV_OSAKA, 4))
    [event] = inv.decide(state, CompensateTransfer(INV, "T-1", reason="区画不一致"))
    assert isinstance(event, StockTransferred_V1)
    assert (event.direction, event.quantity, event.on_hand_after, event.note) == (
        TransferDirection.RETURN,
        4,
        10,
        "区画不一致",
    )
    after = existing(inv.evolve(state, event))
    assert after.pending_transfers == {} and after.on_hand == 10


def test_compensating_twice_is_rejected() -> None:
    state = source(TransferStockOut(INV, "T-1", INV_OSAKA, 4), CompensateTransfer(INV, "T-1"))
    with pytest.raises(TransferAlreadySettledError):
        inv.decide(state, CompensateTransfer(INV, "T-1"))


def test_compensating_an_unknown_transfer_is_rejected() -> None:
    with pytest.raises(UnknownTransferError):
        inv.decide(source(), CompensateTransfer(INV, "T-404"))


def test_completing_clears_the_pending_transfer_without_moving_stock() -> None:
    state = source(TransferStockOut(INV, "T-1", INV_OSAKA, 4))
    [event] = inv.decide(state, CompleteTransfer(INV, "T-1"))
    assert event == TransferCompleted_V1(INV, "PRD-000001", "TKY", "TKY-01", "T-1", INV_OSAKA, 4)
    after = existing(apply(state, [event]))
    assert (after.on_hand, after.pending_transfers) == (6, {})
    with pytest.raises(TransferAlreadySettledError):
        inv.decide(after, CompensateTransfer(INV, "T-1"))
    with pytest.raises(TransferAlreadySettledError):
        inv.decide(after, CompleteTransfer(INV, "T-1"))


def test_a_full_transfer_conserves_stock_across_both_inventories() -> None:
    src, dst = source(), destination()
    out = inv.decide(src, TransferStockOut(INV, "T-1", INV_OSAKA, 4))
    src = existing(apply(src, out))
    assert src.on_hand + src.pending_outbound + dst.on_hand == 10
    dst = existing(
        apply(dst, inv.decide(dst, TransferStockIn(INV_OSAKA, "T-1", INV, 4), refs(INV_OSAKA)))
    )
    src = existing(apply(src, inv.decide(src, CompleteTransfer(INV, "T-1"))))
    assert (src.on_hand, src.pending_outbound, dst.on_hand) == (6, 0, 4)
