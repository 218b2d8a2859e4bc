"""Commands of the Inventory aggregate: one product in one zone (`PRD-000001@TKY-01`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from domain.enums import AdjustmentReason
from domain.errors import ValidationError
from domain.fields import (
    CUSTOMER_ID,
    DELTA,
    INVENTORY_ID,
    NOTE,
    OPERATOR,
    OUT_SEQUENCE_NR,
    QUANTITY,
    RESERVATION_ID,
    TRANSFER_ID,
)
from domain.ids import InventoryId
from domain.message import Command

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
    inventory_id: Annotated[str, INVENTORY_ID]


@dataclass(frozen=True)
class ReceiveStock(Command):
    """入庫."""

    inventory_id: Annotated[str, INVENTORY_ID]
    quantity: Annotated[int, QUANTITY]
    operator: Annotated[str | None, OPERATOR] = None
    note: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class IssueStock(Command):
    """出庫; naming a reservation consumes it, otherwise available stock must cover it."""

    inventory_id: Annotated[str, INVENTORY_ID]
    quantity: Annotated[int, QUANTITY]
    reservation_id: Annotated[str | None, RESERVATION_ID] = None
    operator: Annotated[str | None, OPERATOR] = None
    note: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class ReserveStock(Command):
    """引当 under a caller-chosen reservation id, refused while open or recently closed."""

    inventory_id: Annotated[str, INVENTORY_ID]
    reservation_id: Annotated[str, RESERVATION_ID]
    quantity: Annotated[int, QUANTITY]
    customer_id: Annotated[str | None, CUSTOMER_ID] = None
    operator: Annotated[str | None, OPERATOR] = None
    note: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class ReleaseStock(Command):
    """引当解除 of a whole open reservation."""

    inventory_id: Annotated[str, INVENTORY_ID]
    reservation_id: Annotated[str, RESERVATION_ID]
    operator: Annotated[str | None, OPERATOR] = None
    note: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class AdjustStock(Command):
    """調整 by a signed, non-zero `delta` of on-hand units, with a mandatory reason."""

    inventory_id: Annotated[str, INVENTORY_ID]
    delta: Annotated[int, DELTA]
    reason: AdjustmentReason
    operator: Annotated[str | None, OPERATOR] = None
    note: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class TransferStockOut(Command):
    """Step 1 of a transfer, sent to the source inventory."""

    inventory_id: Annotated[str, INVENTORY_ID]
    transfer_id: Annotated[str, TRANSFER_ID]
    to_inventory_id: Annotated[str, INVENTORY_ID]
    quantity: Annotated[int, QUANTITY]
    operator: Annotated[str | None, OPERATOR] = None
    note: Annotated[str | None, NOTE] = None

    def validate(self) -> None:
        check_transfer_pair(self.inventory_id, self.to_inventory_id)


@dataclass(frozen=True)
class TransferStockIn(Command):
    """Step 2 of a transfer, to the destination; idempotent per source, id and OUT leg."""

    inventory_id: Annotated[str, INVENTORY_ID]
    transfer_id: Annotated[str, TRANSFER_ID]
    from_inventory_id: Annotated[str, INVENTORY_ID]
    quantity: Annotated[int, QUANTITY]
    operator: Annotated[str | None, OPERATOR] = None
    note: Annotated[str | None, NOTE] = None
    out_sequence_nr: Annotated[int | None, OUT_SEQUENCE_NR] = None

    def validate(self) -> None:
        check_transfer_pair(self.from_inventory_id, self.inventory_id)


@dataclass(frozen=True)
class CompensateTransfer(Command):
    """Step 3 on refusal, sent to the source: put a pending transfer's units back."""

    inventory_id: Annotated[str, INVENTORY_ID]
    transfer_id: Annotated[str, TRANSFER_ID]
    reason: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class CompleteTransfer(Command):
    """Step 3 on acceptance, sent to the source: forget a pending transfer."""

    inventory_id: Annotated[str, INVENTORY_ID]
    transfer_id: Annotated[str, TRANSFER_ID]


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
