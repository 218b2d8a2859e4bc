"""Transfers (移動) between two inventories of one product, as steps a process manager drives.

OUT on the source -> IN on the destination -> Complete on the source, or, if the destination
refuses, Compensate on the source (a RETURN leg). Same warehouse: ZoneTransferred_V1;
different warehouses: StockTransferred_V1. Every leg carries the OUT leg's sequence number
(`out_sequence_nr`), which with the source and transfer id names the transfer forever.
"""

from __future__ import annotations

from domain.enums import TransferDirection
from domain.errors import (
    DuplicateTransferError,
    InsufficientStockError,
    TransferAlreadySettledError,
    UnknownTransferError,
)
from domain.ids import InventoryId
from domain.inventory.bounds import check_room
from domain.inventory.commands import (
    CompensateTransfer,
    CompleteTransfer,
    TransferStockIn,
    TransferStockOut,
)
from domain.inventory.events import StockTransferred_V1, TransferCompleted_V1, ZoneTransferred_V1
from domain.inventory.figures import Attribution, after, by
from domain.inventory.refs import StockRefs, check_can_place
from domain.inventory.state import Inventory, PendingTransfer
from domain.message import Command, Event


def decide_transfer(state: Inventory, command: Command, refs: StockRefs) -> list[Event]:
    """Decide one step of a transfer on `state`."""
    if isinstance(command, TransferStockOut):
        tid = command.transfer_id
        if tid in state.pending_transfers or tid in state.settled_transfers:
            raise DuplicateTransferError(
                "transfer id open or recently used",
                inventory_id=state.inventory_id,
                transfer_id=command.transfer_id,
            )
        if command.quantity > state.available:
            raise InsufficientStockError(
                f"transfer of {command.quantity} exceeds available {state.available}",
                inventory_id=state.inventory_id,
                transfer_id=command.transfer_id,
            )
        on_hand = state.on_hand - command.quantity
        return [
            _leg(
                state,
                command.transfer_id,
                TransferDirection.OUT,
                command.to_inventory_id,
                command.quantity,
                on_hand,
                by(command),
                state.version + 1,  # the leg's own sequence number: it is the only event
            )
        ]
    if isinstance(command, TransferStockIn):
        out_seq = command.out_sequence_nr
        if state.has_received(command.from_inventory_id, command.transfer_id, out_seq):
            return []  # redelivered step 2 of this very transfer: already applied
        check_can_place(
            state, refs, "TransferStockIn", command.quantity, transfer_id=command.transfer_id
        )
        check_room(state, command.quantity, command.transfer_id)
        on_hand = state.on_hand + command.quantity
        return [
            _leg(
                state,
                command.transfer_id,
                TransferDirection.IN,
                command.from_inventory_id,
                command.quantity,
                on_hand,
                by(command),
                out_seq,
            )
        ]
    if isinstance(command, CompensateTransfer):
        pending = _pending(state, command.transfer_id)
        on_hand = state.on_hand + pending.quantity
        attribution = Attribution(operator=None, note=command.reason)
        return [
            _leg(
                state,
                command.transfer_id,
                TransferDirection.RETURN,
                pending.counterpart_inventory_id,
                pending.quantity,
                on_hand,
                attribution,
                pending.out_sequence_nr,
            )
        ]
    if isinstance(command, CompleteTransfer):
        pending = _pending(state, command.transfer_id)
        return [
            TransferCompleted_V1(
                *state.key,
                transfer_id=command.transfer_id,
                counterpart_inventory_id=pending.counterpart_inventory_id,
                quantity=pending.quantity,
            )
        ]
    raise TypeError(f"not an inventory command: {type(command).__name__}")


def _pending(state: Inventory, transfer_id: str) -> PendingTransfer:
    if transfer_id in state.settled_transfers:
        raise TransferAlreadySettledError(
            "transfer already completed or compensated",
            inventory_id=state.inventory_id,
            transfer_id=transfer_id,
        )
    if transfer_id not in state.pending_transfers:
        raise UnknownTransferError(
            "no pending outbound transfer", inventory_id=state.inventory_id, transfer_id=transfer_id
        )
    return state.pending_transfers[transfer_id]


def _leg(
    state: Inventory,
    transfer_id: str,
    direction: TransferDirection,
    counterpart: str,
    quantity: int,
    on_hand: int,
    attribution: Attribution,
    out_sequence_nr: int | None,
) -> Event:
    other = InventoryId(counterpart)
    same_warehouse = other.warehouse_id == state.warehouse_id
    event_type = ZoneTransferred_V1 if same_warehouse else StockTransferred_V1
    return event_type(
        *state.key,
        transfer_id=transfer_id,
        direction=direction,
        counterpart_inventory_id=str(other),
        counterpart_warehouse_id=str(other.warehouse_id),
        counterpart_zone_id=str(other.zone_id),
        quantity=quantity,
        **after(state, on_hand),
        **attribution,
        out_sequence_nr=out_sequence_nr,
    )
