"""The limits an inventory's figures obey, checked before a command is accepted."""

from __future__ import annotations

from domain.errors import StockLimitExceededError, TooManyOpenReservationsError
from domain.inventory.state import Inventory
from domain.limits import MAX_ON_HAND, MAX_OPEN_RESERVATIONS


def check_room(state: Inventory, incoming: int, transfer_id: str | None = None) -> None:
    """Refuse units that would take on hand plus units in transit past MAX_ON_HAND.

    Units sent out and not settled count: a RETURN leg brings them back unasked, and
    must always fit (the read model stores on hand and in transit in `integer`).
    """
    if incoming > state.room:
        ids = {"transfer_id": transfer_id} if transfer_id else {}
        raise StockLimitExceededError(
            f"{incoming:,} more units exceed the limit of {MAX_ON_HAND:,} per inventory "
            f"({state.on_hand:,} on hand, {state.pending_outbound:,} in transit)",
            inventory_id=state.inventory_id,
            **ids,
        )


def check_open_reservations(state: Inventory, reservation_id: str) -> None:
    """Refuse one more open reservation beyond MAX_OPEN_RESERVATIONS."""
    if len(state.reservations) >= MAX_OPEN_RESERVATIONS:
        raise TooManyOpenReservationsError(
            f"{MAX_OPEN_RESERVATIONS:,} reservations are open already; issue or release one",
            inventory_id=state.inventory_id,
            reservation_id=reservation_id,
        )
