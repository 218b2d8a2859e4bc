"""Events of the Inventory aggregate; movements carry after-values so projections need no state.

Every event names the inventory and, for convenience of sinks, its product, 倉庫コード and zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import AdjustmentReason, StorageCondition, TransferDirection, ZoneType
from domain.message import Event

__all__ = [
    "InventoryCreated_V1",
    "StockAdjusted_V1",
    "StockIssued_V1",
    "StockReceived_V1",
    "StockReleased_V1",
    "StockReserved_V1",
    "StockTransferred_V1",
    "StorageConditionViolated_V1",
    "TransferCompleted_V1",
    "ZoneTransferred_V1",
]


@dataclass(frozen=True)
class InventoryEvent(Event):
    inventory_id: str
    product_id: str
    warehouse_id: str
    zone_id: str


@dataclass(frozen=True)
class InventoryCreated_V1(InventoryEvent):
    pass


@dataclass(frozen=True)
class StockReceived_V1(InventoryEvent):
    quantity: int
    on_hand_after: int
    reserved_after: int
    available_after: int
    operator: str | None
    note: str | None


@dataclass(frozen=True)
class StockIssued_V1(InventoryEvent):
    """出庫; with a reservation the whole reservation closes (its unissued rest is freed)."""

    quantity: int
    reservation_id: str | None
    on_hand_after: int
    reserved_after: int
    available_after: int
    operator: str | None
    note: str | None


@dataclass(frozen=True)
class StockReserved_V1(InventoryEvent):
    reservation_id: str
    quantity: int
    customer_id: str | None
    on_hand_after: int
    reserved_after: int
    available_after: int
    operator: str | None
    note: str | None


@dataclass(frozen=True)
class StockReleased_V1(InventoryEvent):
    reservation_id: str
    quantity: int
    on_hand_after: int
    reserved_after: int
    available_after: int
    operator: str | None
    note: str | None


@dataclass(frozen=True)
class StockAdjusted_V1(InventoryEvent):
    reason: AdjustmentReason
    delta: int
    on_hand_after: int
    reserved_after: int
    available_after: int
    operator: str | None
    note: str | None


@dataclass(frozen=True)
class _TransferLeg(InventoryEvent):
    """Fields shared by both kinds of transfer leg (not a message of its own).

    `out_sequence_nr` is the sequence number of the transfer's OUT leg on the source (on
    an OUT leg its own): the source and it name one transfer forever, whereas a transfer
    id may come back once it has left the source's settled window. Null on legs recorded
    before transfers were named.
    """

    transfer_id: str
    direction: TransferDirection
    counterpart_inventory_id: str
    counterpart_warehouse_id: str
    counterpart_zone_id: str
    quantity: int
    on_hand_after: int
    reserved_after: int
    available_after: int
    operator: str | None
    note: str | None
    out_sequence_nr: int | None = None


@dataclass(frozen=True)
class StockTransferred_V1(_TransferLeg):
    """One leg of a transfer between two warehouses."""


@dataclass(frozen=True)
class ZoneTransferred_V1(_TransferLeg):
    """One leg of a transfer between two zones of the same warehouse."""


@dataclass(frozen=True)
class TransferCompleted_V1(InventoryEvent):
    """The destination accepted: the source forgets its pending outbound transfer."""

    transfer_id: str
    counterpart_inventory_id: str
    quantity: int


@dataclass(frozen=True)
class StorageConditionViolated_V1(InventoryEvent):
    """A refused attempt to place stock in a zone whose type differs from the product's."""

    storage_condition: StorageCondition
    zone_type: ZoneType
    attempted_command: str
    quantity: int
    transfer_id: str | None
