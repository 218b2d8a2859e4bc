"""An inventory's figures stay within the limits, and its state keeps only bounded windows."""

from __future__ import annotations

import pytest

from domain import (
    AdjustStock,
    CompensateTransfer,
    CompleteTransfer,
    CreateInventory,
    DuplicateReservationError,
    DuplicateTransferError,
    ReceiveStock,
    ReleaseStock,
    ReservationAlreadyReleasedError,
    ReserveStock,
    StockLimitExceededError,
    TooManyOpenReservationsError,
    TransferStockIn,
    TransferStockOut,
    UnknownReservationError,
)
from domain import inventory as inv
from domain.limits import (
    CLOSED_RESERVATIONS_KEPT,
    MAX_ON_HAND,
    MAX_OPEN_RESERVATIONS,
    RECEIVED_TRANSFERS_KEPT,
    SETTLED_TRANSFERS_KEPT,
)
from domain.message import Command

from .builders import INV, INV_OSAKA, existing, refs, run

FULL = [CreateInventory(INV), ReceiveStock(INV, MAX_ON_HAND)]


def step(state: inv.InventoryState, command: Command, inventory_id: str = INV) -> inv.Inventory:
    for event in inv.decide(state, command, refs(inventory_id)):
        state = inv.evolve(state, event)
    return existing(state)


def test_stock_up_to_the_limit_is_received_and_one_unit_more_is_refused() -> None:
    state = existing(run(FULL))
    assert state.on_hand == MAX_ON_HAND
    for command in (ReceiveStock(INV, 1), AdjustStock(INV, 1, "棚卸差異")):
        with pytest.raises(StockLimitExceededError) as caught:
            inv.decide(state, command, refs())
        assert caught.value.code == "STOCK_LIMIT_EXCEEDED"
    assert step(state, AdjustStock(INV, -1, "破損")).on_hand == MAX_ON_HAND - 1


def test_two_receipts_of_two_billion_cannot_overflow_the_read_model() -> None:
    state = existing(run([CreateInventory(INV), ReceiveStock(INV, 600_000_000)]))
    with pytest.raises(StockLimitExceededError):
        inv.decide(state, ReceiveStock(INV, 600_000_000), refs())


def test_units_in_transit_count_so_a_returned_transfer_always_fits() -> None:
    sent = step(existing(run(FULL)), TransferStockOut(INV, "T-1", INV_OSAKA, 10))
    assert (sent.on_hand, sent.pending_outbound) == (MAX_ON_HAND - 10, 10)
    with pytest.raises(StockLimitExceededError):
        inv.decide(sent, ReceiveStock(INV, 1), refs())
    assert step(sent, CompensateTransfer(INV, "T-1")).on_hand == MAX_ON_HAND
    completed = step(sent, CompleteTransfer(INV, "T-1"))
    assert step(completed, ReceiveStock(INV, 10)).on_hand == MAX_ON_HAND


def test_a_transfer_in_beyond_the_limit_is_refused_but_a_redelivered_one_is_still_a_no_op() -> None:
    destination = existing(run(FULL))
    transfer_in = TransferStockIn(INV, "T-9", INV_OSAKA, 1)
    with pytest.raises(StockLimitExceededError) as caught:
        inv.decide(destination, transfer_in, refs())
    assert caught.value.ids["transfer_id"] == "T-9"
    received = step(existing(run([CreateInventory(INV), ReceiveStock(INV, MAX_ON_HAND - 1)])),
                    transfer_in)  # fmt: skip
    assert received.on_hand == MAX_ON_HAND
    assert inv.decide(received, transfer_in, refs()) == []


def test_one_reservation_more_than_the_limit_is_refused_until_one_closes() -> None:
    state = existing(run(FULL))
    for n in range(MAX_OPEN_RESERVATIONS):
        state = step(state, ReserveStock(INV, f"R-{n}", 1))
    with pytest.raises(TooManyOpenReservationsError) as caught:
        inv.decide(state, ReserveStock(INV, "R-more", 1))
    assert caught.value.code == "TOO_MANY_OPEN_RESERVATIONS"
    with pytest.raises(DuplicateReservationError):  # a duplicate is still named as one
        inv.decide(state, ReserveStock(INV, "R-0", 1))
    state = step(state, ReleaseStock(INV, "R-0"))
    assert step(state, ReserveStock(INV, "R-more", 1)).reservations["R-more"] == 1


def test_closed_reservation_ids_are_kept_in_a_window_of_the_most_recent() -> None:
    state = existing(run(FULL))
    for n in range(CLOSED_RESERVATIONS_KEPT + 1):
        state = step(step(state, ReserveStock(INV, f"R-{n}", 1)), ReleaseStock(INV, f"R-{n}"))
    window = state.closed_reservations.ids
    assert window == tuple(f"R-{n}" for n in range(1, CLOSED_RESERVATIONS_KEPT + 1))
    with pytest.raises(DuplicateReservationError):
        inv.decide(state, ReserveStock(INV, "R-1", 1))
    with pytest.raises(ReservationAlreadyReleasedError):
        inv.decide(state, ReleaseStock(INV, "R-1"))
    with pytest.raises(UnknownReservationError):  # left the window: no longer known
        inv.decide(state, ReleaseStock(INV, "R-0"))
    assert step(state, ReserveStock(INV, "R-0", 1)).reservations == {"R-0": 1}


def test_settled_and_received_transfer_ids_are_kept_in_windows_of_the_most_recent() -> None:
    source = existing(run([CreateInventory(INV), ReceiveStock(INV, 10_000)]))
    destination = existing(run([CreateInventory(INV_OSAKA)], INV_OSAKA))
    kept = max(SETTLED_TRANSFERS_KEPT, RECEIVED_TRANSFERS_KEPT)
    for n in range(kept + 1):
        source = step(source, TransferStockOut(INV, f"T-{n}", INV_OSAKA, 1))
        assert source.pending_transfers[f"T-{n}"].sequence_nr == source.version
        destination = step(destination, TransferStockIn(INV_OSAKA, f"T-{n}", INV, 1), INV_OSAKA)
        source = step(source, CompleteTransfer(INV, f"T-{n}"))
    assert source.settled_transfers.ids[-1] == f"T-{kept}"
    assert len(source.settled_transfers) == SETTLED_TRANSFERS_KEPT
    assert len(destination.received_transfers) == RECEIVED_TRANSFERS_KEPT
    assert "T-0" not in source.settled_transfers and not destination.has_received(INV, "T-0")
    assert destination.has_received(INV, f"T-{kept}")
    with pytest.raises(DuplicateTransferError):
        inv.decide(source, TransferStockOut(INV, f"T-{kept}", INV_OSAKA, 1))
    assert step(source, TransferStockOut(INV, "T-0", INV_OSAKA, 1)).pending_transfers["T-0"]
    assert destination.on_hand == kept + 1


def test_folding_the_same_events_gives_the_same_windows_on_every_worker() -> None:
    events = []
    state: inv.InventoryState = existing(run(FULL))
    for n in range(CLOSED_RESERVATIONS_KEPT + 5):
        for command in (ReserveStock(INV, f"R-{n}", 1), ReleaseStock(INV, f"R-{n}")):
            new = inv.decide(state, command)
            events += new
            for event in new:
                state = inv.evolve(state, event)
    replayed = inv.fold([*_history(FULL), *events])
    assert replayed == state
    assert existing(replayed).closed_reservations.ids[0] == "R-5"


def _history(commands: list[Command]) -> list[object]:
    state: inv.InventoryState = inv.INITIAL
    events = []
    for command in commands:
        for event in inv.decide(state, command, refs()):
            events.append(event)
            state = inv.evolve(state, event)
    return events


def test_a_destination_tells_two_sources_transfers_of_one_id_apart() -> None:
    """Transfer ids are unique per source: a second source's T-1 is a transfer of its own."""
    tokyo, osaka = INV, INV_OSAKA
    destination = INV.replace("TKY-01", "TKY-03")
    state = existing(run([CreateInventory(destination)], destination))
    state = step(state, TransferStockIn(destination, "T-1", tokyo, 4), destination)
    state = step(state, TransferStockIn(destination, "T-1", osaka, 3), destination)
    assert state.on_hand == 7
    assert inv.decide(state, TransferStockIn(destination, "T-1", osaka, 3), refs(destination)) == []
