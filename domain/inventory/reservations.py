"""Reservations (引当) and releases (引当解除), each identified by a reservation id."""

from __future__ import annotations

from domain.errors import (
    DuplicateReservationError,
    ReservationAlreadyReleasedError,
    ReservationExceedsOnHandError,
    UnknownReservationError,
)
from domain.inventory.bounds import check_open_reservations
from domain.inventory.commands import ReleaseStock, ReserveStock
from domain.inventory.events import StockReleased_V1, StockReserved_V1
from domain.inventory.figures import after, by
from domain.inventory.state import Inventory


def open_reservation(state: Inventory, reservation_id: str) -> int:
    """Return the quantity of an open reservation, refusing closed and unknown ones."""
    if reservation_id in state.closed_reservations:
        raise ReservationAlreadyReleasedError(
            "reservation already released or issued",
            inventory_id=state.inventory_id,
            reservation_id=reservation_id,
        )
    if reservation_id not in state.reservations:
        raise UnknownReservationError(
            "unknown reservation", inventory_id=state.inventory_id, reservation_id=reservation_id
        )
    return state.reservations[reservation_id]


def reserve(state: Inventory, command: ReserveStock) -> StockReserved_V1:
    """Hold available units under a new reservation id."""
    rid = command.reservation_id
    if rid in state.reservations or rid in state.closed_reservations:
        raise DuplicateReservationError(
            "reservation id open or recently closed",
            inventory_id=state.inventory_id,
            reservation_id=rid,
        )
    check_open_reservations(state, rid)
    if command.quantity > state.available:
        raise ReservationExceedsOnHandError(
            f"reservation of {command.quantity} exceeds available {state.available}",
            inventory_id=state.inventory_id,
            reservation_id=rid,
        )
    return StockReserved_V1(
        *state.key,
        reservation_id=rid,
        quantity=command.quantity,
        customer_id=command.customer_id,
        **after(state, state.on_hand, state.reserved + command.quantity),
        **by(command),
    )


def release(state: Inventory, command: ReleaseStock) -> StockReleased_V1:
    """Free every unit of an open reservation."""
    quantity = open_reservation(state, command.reservation_id)
    return StockReleased_V1(
        *state.key,
        reservation_id=command.reservation_id,
        quantity=quantity,
        **after(state, state.on_hand, state.reserved - quantity),
        **by(command),
    )
