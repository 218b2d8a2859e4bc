"""Commands of the Product aggregate."""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import Category, StorageCondition
from domain.ids import ProductId, Sku
from domain.message import NAME, NOTE, Command, non_negative_int, optional, require, text

__all__ = [
    "ChangeStorageCondition",
    "CreateProduct",
    "DiscontinueProduct",
    "UpdateProduct",
]


UNIT = text(16)
DESCRIPTION = text(2000, blank_ok=True)


@dataclass(frozen=True)
class CreateProduct(Command):
    product_id: str
    name: str
    sku: str
    category: Category
    storage_condition: StorageCondition
    unit: str
    description: str = ""
    reference_price: int | None = None

    def validate(self) -> None:
        require(self, product_id=ProductId, name=NAME, sku=Sku, unit=UNIT, description=DESCRIPTION)
        optional(self, reference_price=non_negative_int)


@dataclass(frozen=True)
class UpdateProduct(Command):
    """Change descriptive fields; a field left as None keeps its current value."""

    product_id: str
    name: str | None = None
    sku: str | None = None
    category: Category | None = None
    description: str | None = None
    unit: str | None = None
    reference_price: int | None = None

    def validate(self) -> None:
        require(self, product_id=ProductId)
        optional(
            self,
            name=NAME,
            sku=Sku,
            description=DESCRIPTION,
            unit=UNIT,
            reference_price=non_negative_int,
        )


@dataclass(frozen=True)
class DiscontinueProduct(Command):
    product_id: str
    reason: str | None = None

    def validate(self) -> None:
        require(self, product_id=ProductId)
        optional(self, reason=NOTE)


@dataclass(frozen=True)
class ChangeStorageCondition(Command):
    product_id: str
    storage_condition: StorageCondition

    def validate(self) -> None:
        require(self, product_id=ProductId)
