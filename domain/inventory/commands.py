"""Commands of the Inventory aggregate: one product in one zone (`PRD-000001@TKY-01`)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import AdjustmentReason
from domain.errors import ValidationError
from domain.ids import CustomerId, InventoryId, ReservationId, TransferId
from domain.message import NOTE, OPERATOR, Command, optional, require
from domain.quantities import PositiveQuantity, nonzero_delta

__all__ = [
    "AdjustStock",
    "CompensateTransfer",
    "CompleteTransfer",
    "CreateInventory",
    "IssueStock",
    "ReceiveStock",
    "ReleaseStock",
    "ReserveStock",
    "TransferStockIn",
    "TransferStockOut",
]


@dataclass(frozen=True)
class CreateInventory(Command):
    inventory_id: str

    def validate(self) -> None:
        require(self, inventory_id=InventoryId)


@dataclass(frozen=True)
class ReceiveStock(Command):
    """入庫."""

    inventory_id: str
    quantity: int
    operator: str | None = None
    note: str | None = None

    def validate(self) -> None:
        require(self, inventory_id=InventoryId, quantity=PositiveQuantity)
        optional(self, operator=OPERATOR, note=NOTE)


@dataclass(frozen=True)
class IssueStock(Command):
    """出庫; naming a reservation consumes it, otherwise available stock must cover it."""

    inventory_id: str
    quantity: int
    reservation_id: str | None = None
    operator: str | None = None
    note: str | None = None

    def validate(self) -> None:
        require(self, inventory_id=InventoryId, quantity=PositiveQuantity)
        optional(self, reservation_id=ReservationId, operator=OPERATOR, note=NOTE)


@dataclass(frozen=True)
class ReserveStock(Command):
    """引当 under a caller-chosen reservation id, unique per inventory forever."""

    inventory_id: str
    reservation_id: str
    quantity: int
    customer_id: str | None = None
    operator: str | None = None
    note: str | None = None

    def validate(self) -> None:
        require(
            self, inventory_id=InventoryId, reservation_id=ReservationId, quantity=PositiveQuantity
        )
        optional(self, customer_id=CustomerId, operator=OPERATOR, note=NOTE)


@dataclass(frozen=True)
class ReleaseStock(Command):
    """引当解除 of a whole open reservation."""

    inventory_id: str
    reservation_id: str
    operator: str | None = None
    note: str | None = None

    def validate(self) -> None:
        require(self, inventory_id=InventoryId, reservation_id=ReservationId)
        optional(self, operator=OPERATOR, note=NOTE)


@dataclass(frozen=True)
class AdjustStock(Command):
    """調整 by a signed, non-zero `delta` of on-hand units, with a mandatory reason."""

    inventory_id: str
    delta: int
    reason: AdjustmentReason
    operator: str | None = None
    note: str | None = None

    def validate(self) -> None:
        require(self, inventory_id=InventoryId, delta=nonzero_delta)
        optional(self, operator=OPERATOR, note=NOTE)


@dataclass(frozen=True)
class TransferStockOut(Command):
    """Step 1 of a transfer, sent to the source inventory."""

    inventory_id: str
    transfer_id: str
    to_inventory_id: str
    quantity: int
    operator: str | None = None
    note: str | None = None

    def validate(self) -> None:
        require(self, inventory_id=InventoryId, transfer_id=TransferId, quantity=PositiveQuantity)
        require(self, to_inventory_id=InventoryId)
        optional(self, operator=OPERATOR, note=NOTE)
        check_transfer_pair(self.inventory_id, self.to_inventory_id)


@dataclass(frozen=True)
class TransferStockIn(Command):
    """Step 2 of a transfer, sent to the destination inventory; idempotent per transfer id."""

    inventory_id: str
    transfer_id: str
    from_inventory_id: str
    quantity: int
    operator: str | None = None
    note: str | None = None

    def validate(self) -> None:
        require(self, inventory_id=InventoryId, transfer_id=TransferId, quantity=PositiveQuantity)
        require(self, from_inventory_id=InventoryId)
        optional(self, operator=OPERATOR, note=NOTE)
        check_transfer_pair(self.from_inventory_id, self.inventory_id)


@dataclass(frozen=True)
class CompensateTransfer(Command):
    """Step 3 on refusal, sent to the source: put a pending transfer's units back."""

    inventory_id: str
    transfer_id: str
    reason: str | None = None

    def validate(self) -> None:
        require(self, inventory_id=InventoryId, transfer_id=TransferId)
        optional(self, reason=NOTE)


@dataclass(frozen=True)
class CompleteTransfer(Command):
    """Step 3 on acceptance, sent to the source: forget a pending transfer."""

    inventory_id: str
    transfer_id: str

    def validate(self) -> None:
        require(self, inventory_id=InventoryId, transfer_id=TransferId)


def check_transfer_pair(source: str, destination: str) -> None:
    """Refuse a transfer between different products or within one zone."""
    src, dst = InventoryId(source), InventoryId(destination)
    if src.product_id != dst.product_id:
        raise ValidationError(
            "a transfer moves one product", source_inventory_id=src, destination_inventory_id=dst
        )
    if src.zone_id == dst.zone_id:
        raise ValidationError(
            "a transfer needs two different zones",
            source_inventory_id=src,
            destination_inventory_id=dst,
        )
