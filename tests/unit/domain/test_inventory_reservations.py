from __future__ import annotations

import pytest

from domain import (
    CreateInventory,
    DuplicateReservationError,
    InsufficientStockError,
    IssueStock,
    ReceiveStock,
    ReleaseStock,
    ReservationAlreadyReleasedError,
    ReservationExceedsOnHandError,
    ReserveStock,
    StockIssued_V1,
    StockReleased_V1,
    StockReserved_V1,
    UnknownReservationError,
)
from domain import inventory as inv

from .builders import INV, existing, run

BASE = [CreateInventory(INV), ReceiveStock(INV, 10)]


def test_reserving_stock_holds_it_under_the_reservation_id() -> None:
    state = existing(run(BASE))
    [event] = inv.decide(state, ReserveStock(INV, "R-1", 4, customer_id="CUS-0001"))
    assert isinstance(event, StockReserved_V1)
    assert (event.reserved_after, event.available_after, event.customer_id) == (4, 6, "CUS-0001")
    after = existing(inv.evolve(state, event))
    assert after.reservations == {"R-1": 4}


def test_reservation_beyond_available_is_rejected() -> None:
    state = existing(run([*BASE, ReserveStock(INV, "R-1", 7)]))
    with pytest.raises(ReservationExceedsOnHandError):
        inv.decide(state, ReserveStock(INV, "R-2", 4))


def test_reserving_with_an_already_used_id_is_rejected() -> None:
    state = existing(run([*BASE, ReserveStock(INV, "R-1", 1), ReleaseStock(INV, "R-1")]))
    with pytest.raises(DuplicateReservationError):
        inv.decide(state, ReserveStock(INV, "R-1", 1))
    state = existing(run([*BASE, ReserveStock(INV, "R-1", 1)]))
    with pytest.raises(DuplicateReservationError):
        inv.decide(state, ReserveStock(INV, "R-1", 1))


def test_releasing_a_reservation_frees_all_its_units() -> None:
    state = existing(run([*BASE, ReserveStock(INV, "R-1", 4)]))
    [event] = inv.decide(state, ReleaseStock(INV, "R-1"))
    assert isinstance(event, StockReleased_V1)
    assert (event.quantity, event.reserved_after, event.available_after) == (4, 0, 10)


def test_releasing_twice_is_rejected() -> None:
    state = existing(run([*BASE, ReserveStock(INV, "R-1", 4), ReleaseStock(INV, "R-1")]))
    with pytest.raises(ReservationAlreadyReleasedError):
        inv.decide(state, ReleaseStock(INV, "R-1"))


def test_releasing_an_unknown_reservation_is_rejected() -> None:
    with pytest.raises(UnknownReservationError):
        inv.decide(existing(run(BASE)), ReleaseStock(INV, "R-404"))


def test_issuing_against_a_reservation_consumes_it() -> None:
    state = existing(run([*BASE, ReserveStock(INV, "R-1", 4), ReserveStock(INV, "R-2", 6)]))
    [event] = inv.decide(state, IssueStock(INV, 3, reservation_id="R-1"))
    assert isinstance(event, StockIssued_V1)
    # the unissued unit of R-1 returns to available; R-2 stays held
    assert (event.on_hand_after, event.reserved_after, event.available_after) == (7, 6, 1)
    after = existing(inv.evolve(state, event))
    assert after.reservations == {"R-2": 6}
    with pytest.raises(ReservationAlreadyReleasedError):
        inv.decide(after, ReleaseStock(INV, "R-1"))


def test_issuing_against_a_reservation_may_use_reserved_units() -> None:
    state = existing(run([*BASE, ReserveStock(INV, "R-1", 10)]))
    [event] = inv.decide(state, IssueStock(INV, 10, reservation_id="R-1"))
    assert isinstance(event, StockIssued_V1) and event.on_hand_after == 0


def test_issuing_more_than_the_reservation_is_rejected() -> None:
    state = existing(run([*BASE, ReserveStock(INV, "R-1", 4)]))
    with pytest.raises(InsufficientStockError):
        inv.decide(state, IssueStock(INV, 5, reservation_id="R-1"))


def test_issuing_against_an_unknown_reservation_is_rejected() -> None:
    with pytest.raises(UnknownReservationError):
        inv.decide(existing(run(BASE)), IssueStock(INV, 1, reservation_id="R-404"))
