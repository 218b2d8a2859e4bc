"""Inventory business rules: which events a command produces."""

from __future__ import annotations

from domain.aggregate import Absent, missing
from domain.errors import (
    AlreadyExistsError,
    InsufficientStockError,
    ReservationExceedsOnHandError,
    ValidationError,
)
from domain.inventory import transfers
from domain.inventory.bounds import check_room
from domain.inventory.commands import (
    AdjustStock,
    CreateInventory,
    IssueStock,
    ReceiveStock,
    ReleaseStock,
    ReserveStock,
    TransferStockIn,
)
from domain.inventory.events import (
    InventoryCreated_V1,
    StockAdjusted_V1,
    StockIssued_V1,
    StockReceived_V1,
)
from domain.inventory.figures import after, by
from domain.inventory.refs import EMPTY_REFS, StockRefs, check_can_place
from domain.inventory.reservations import open_reservation, release, reserve
from domain.inventory.state import Inventory, InventoryState, new_inventory
from domain.message import Command, Event

REFS_COMMANDS = (CreateInventory, ReceiveStock, TransferStockIn)


def needs_refs(command: Command) -> bool:
    """Tell whether `decide` needs StockRefs for `command` (it places new stock)."""
    return isinstance(command, REFS_COMMANDS)


def decide(state: InventoryState, command: Command, refs: StockRefs = EMPTY_REFS) -> list[Event]:
    """Decide which events `command` produces against `state`, or raise a DomainError."""
    inventory_id: str = getattr(command, "inventory_id", "")
    if isinstance(command, CreateInventory):
        if not isinstance(state, Absent):
            raise AlreadyExistsError("inventory already exists", inventory_id=inventory_id)
        created = new_inventory(inventory_id)
        check_can_place(created, refs, "CreateInventory", quantity=0)
        return [InventoryCreated_V1(*created.key)]
    if isinstance(state, Absent):
        raise missing("inventory", inventory_id=inventory_id)
    if inventory_id != state.inventory_id:
        raise ValidationError("command sent to another inventory", inventory_id=inventory_id)
    if isinstance(command, ReceiveStock):
        check_can_place(state, refs, "ReceiveStock", command.quantity)
        check_room(state, command.quantity)
        on_hand = state.on_hand + command.quantity
        return [
            StockReceived_V1(
                *state.key, quantity=command.quantity, **after(state, on_hand), **by(command)
            )
        ]
    if isinstance(command, IssueStock):
        return [_issue(state, command)]
    if isinstance(command, ReserveStock):
        return [reserve(state, command)]
    if isinstance(command, ReleaseStock):
        return [release(state, command)]
    if isinstance(command, AdjustStock):
        return [_adjust(state, command)]
    return transfers.decide_transfer(state, command, refs)


def _issue(state: Inventory, command: IssueStock) -> Event:
    reserved = state.reserved
    if command.reservation_id is not None:
        held = open_reservation(state, command.reservation_id)
        if command.quantity > held:
            raise InsufficientStockError(
                f"issue of {command.quantity} exceeds reservation of {held}",
                inventory_id=state.inventory_id,
                reservation_id=command.reservation_id,
            )
        reserved -= held  # the whole reservation closes; its unissued rest becomes available
    elif command.quantity > state.available:
        raise InsufficientStockError(
            f"issue of {command.quantity} exceeds available {state.available}",
            inventory_id=state.inventory_id,
        )
    return StockIssued_V1(
        *state.key,
        quantity=command.quantity,
        reservation_id=command.reservation_id,
        **after(state, state.on_hand - command.quantity, reserved),
        **by(command),
    )


def _adjust(state: Inventory, command: AdjustStock) -> Event:
    on_hand = state.on_hand + command.delta
    if on_hand < 0:
        raise InsufficientStockError(
            f"adjustment would leave {on_hand} on hand", inventory_id=state.inventory_id
        )
    if on_hand < state.reserved:
        raise ReservationExceedsOnHandError(
            f"adjustment would leave {on_hand} on hand below {state.reserved} reserved",
            inventory_id=state.inventory_id,
        )
    if command.delta > 0:
        check_room(state, command.delta)
    return StockAdjusted_V1(
        *state.key,
        reason=command.reason,
        delta=command.delta,
        **after(state, on_hand),
        **by(command),
    )
