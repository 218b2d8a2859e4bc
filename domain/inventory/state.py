"""Inventory state (one product in one zone) and how events evolve it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from domain.aggregate import Absent, fold_with
from domain.enums import TransferDirection
from domain.ids import InventoryId
from domain.inventory.events import (
    InventoryCreated_V1,
    StockAdjusted_V1,
    StockIssued_V1,
    StockReceived_V1,
    StockReleased_V1,
    StockReserved_V1,
    StockTransferred_V1,
    StorageConditionViolated_V1,
    TransferCompleted_V1,
    ZoneTransferred_V1,
)
from domain.inventory.recent import RecentIds
from domain.limits import (
    CLOSED_RESERVATIONS_KEPT,
    MAX_ON_HAND,
    RECEIVED_TRANSFERS_KEPT,
    SETTLED_TRANSFERS_KEPT,
)
from domain.message import Event


@dataclass(frozen=True)
class PendingTransfer:
    """Units sent out under a transfer id, neither completed nor compensated yet.

    `sequence_nr` is the source's version at the OUT leg: unlike the transfer id, which
    may be used again once it has left the settled window, it names this one transfer
    on this source forever (the transfer manager builds its step ids from it). `named`:
    the OUT leg carried it (`out_sequence_nr`); a transfer opened before transfers were
    named is still known to its destination by source and id alone.
    """

    quantity: int
    counterpart_inventory_id: str
    sequence_nr: int = 0
    named: bool = False  # False in snapshots taken before transfers were named

    @property
    def out_sequence_nr(self) -> int | None:
        """Return the OUT leg's sequence number as the destination knows it (None: unnamed)."""
        return self.sequence_nr if self.named else None


@dataclass(frozen=True)
class Inventory:
    """One product in one zone. Only open things and bounded recent windows are kept:
    the state's size does not grow with the inventory's history."""

    inventory_id: str
    product_id: str
    warehouse_id: str
    zone_id: str
    on_hand: int = 0
    reservations: Mapping[str, int] = field(default_factory=dict)
    closed_reservations: RecentIds = field(default_factory=RecentIds)
    pending_transfers: Mapping[str, PendingTransfer] = field(default_factory=dict)
    settled_transfers: RecentIds = field(default_factory=RecentIds)
    received_transfers: RecentIds = field(default_factory=RecentIds)
    version: int = 0

    @property
    def reserved(self) -> int:
        """引当済数: the sum of open reservations."""
        return sum(self.reservations.values())

    @property
    def available(self) -> int:
        """有効在庫数 = 現在庫数 − 引当済数."""
        return self.on_hand - self.reserved

    @property
    def pending_outbound(self) -> int:
        """Units in flight to other inventories under pending transfers."""
        return sum(p.quantity for p in self.pending_transfers.values())

    def has_received(
        self, source: str, transfer_id: str, out_sequence_nr: int | None = None
    ) -> bool:
        """Tell whether a recent transfer from `source` has landed here.

        The transfer is the one whose OUT leg is `out_sequence_nr` on `source`: a source
        may use `transfer_id` again, and two sources may both send a `T-1`. None names
        the one transfer of that source and id opened before transfers were named.
        """
        return received_key(source, transfer_id, out_sequence_nr) in self.received_transfers

    @property
    def room(self) -> int:
        """Units that may still come in: MAX_ON_HAND − on hand − units in transit out."""
        return MAX_ON_HAND - self.on_hand - self.pending_outbound

    @property
    def key(self) -> tuple[str, str, str, str]:
        """The id fields every inventory event starts with."""
        return (self.inventory_id, self.product_id, self.warehouse_id, self.zone_id)


InventoryState = Inventory | Absent


def received_key(source: str, transfer_id: str, out_sequence_nr: int | None = None) -> str:
    """Return how a destination remembers a transfer: `<source>/<id>/<OUT leg's seq>`.

    `/` is in neither id's alphabet, so the key is unambiguous. A transfer opened before
    transfers were named has no seq: `<source>/<id>`, which no named transfer matches.
    Before the ids were reusable each source sent an id once, so that key names one.
    """
    key = f"{source}/{transfer_id}"
    return key if out_sequence_nr is None else f"{key}/{out_sequence_nr}"


def new_inventory(inventory_id: str) -> Inventory:
    """Return the empty inventory identified by `inventory_id`."""
    parsed = InventoryId(inventory_id)
    return Inventory(
        str(parsed), str(parsed.product_id), str(parsed.warehouse_id), str(parsed.zone_id)
    )


def evolve(state: InventoryState, event: Event) -> InventoryState:
    """Apply one recorded event to the state."""
    version = state.version + 1
    if isinstance(event, StorageConditionViolated_V1):
        return replace(state, version=version)  # a fact worth keeping, but nothing moved
    if isinstance(event, InventoryCreated_V1):
        return replace(new_inventory(event.inventory_id), version=version)
    if isinstance(state, Absent):
        raise TypeError(f"{type(event).__name__} before InventoryCreated_V1")
    return replace(_apply(state, event, version), version=version)


def _apply(state: Inventory, event: Event, version: int) -> Inventory:
    if isinstance(event, StockReceived_V1):
        return replace(state, on_hand=state.on_hand + event.quantity)
    if isinstance(event, StockAdjusted_V1):
        return replace(state, on_hand=state.on_hand + event.delta)
    if isinstance(event, StockReserved_V1):
        return replace(
            state, reservations={**state.reservations, event.reservation_id: event.quantity}
        )
    if isinstance(event, StockReleased_V1):
        return _close_reservation(state, event.reservation_id)
    if isinstance(event, StockIssued_V1):
        issued = replace(state, on_hand=state.on_hand - event.quantity)
        if event.reservation_id is None:
            return issued
        return _close_reservation(issued, event.reservation_id)
    if isinstance(event, StockTransferred_V1 | ZoneTransferred_V1):
        return _apply_transfer(state, event, version)
    if isinstance(event, TransferCompleted_V1):
        return _settle(state, event.transfer_id)
    raise TypeError(f"not an inventory event: {type(event).__name__}")


def _close_reservation(state: Inventory, reservation_id: str) -> Inventory:
    open_ = {k: v for k, v in state.reservations.items() if k != reservation_id}
    closed = state.closed_reservations.add(reservation_id, CLOSED_RESERVATIONS_KEPT)
    return replace(state, reservations=open_, closed_reservations=closed)


def _apply_transfer(
    state: Inventory, event: StockTransferred_V1 | ZoneTransferred_V1, version: int
) -> Inventory:
    if event.direction is TransferDirection.OUT:
        named = event.out_sequence_nr is not None
        pending = PendingTransfer(event.quantity, event.counterpart_inventory_id, version, named)
        return replace(
            state,
            on_hand=state.on_hand - event.quantity,
            pending_transfers={**state.pending_transfers, event.transfer_id: pending},
        )
    if event.direction is TransferDirection.IN:
        return replace(
            state,
            on_hand=state.on_hand + event.quantity,
            received_transfers=state.received_transfers.add(
                received_key(
                    event.counterpart_inventory_id, event.transfer_id, event.out_sequence_nr
                ),
                RECEIVED_TRANSFERS_KEPT,
            ),
        )
    returned = replace(state, on_hand=state.on_hand + event.quantity)
    return _settle(returned, event.transfer_id)


def _settle(state: Inventory, transfer_id: str) -> Inventory:
    pending = {k: v for k, v in state.pending_transfers.items() if k != transfer_id}
    settled = state.settled_transfers.add(transfer_id, SETTLED_TRANSFERS_KEPT)
    return replace(state, pending_transfers=pending, settled_transfers=settled)


def fold(events: Iterable[Event]) -> InventoryState:
    """Rebuild the state from its whole event history."""
    return fold_with(evolve, events)
