"""Commands of the Product aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from domain.enums import Category, StorageCondition
from domain.fields import DESCRIPTION, NAME, NOTE, PRODUCT_ID, REFERENCE_PRICE, SKU, UNIT
from domain.message import Command

__all__ = [
    "ChangeStorageCondition",
    "CreateProduct",
    "DiscontinueProduct",
    "UpdateProduct",
]


@dataclass(frozen=True)
class CreateProduct(Command):
    product_id: Annotated[str, PRODUCT_ID]
    name: Annotated[str, NAME]
    sku: Annotated[str, SKU]
    category: Category
    storage_condition: StorageCondition
    unit: Annotated[str, UNIT]
    description: Annotated[str, DESCRIPTION] = ""
    reference_price: Annotated[int | None, REFERENCE_PRICE] = None


@dataclass(frozen=True)
class UpdateProduct(Command):
    """Change descriptive fields; a field left as None keeps its current value."""

    product_id: Annotated[str, PRODUCT_ID]
    name: Annotated[str | None, NAME] = None
    sku: Annotated[str | None, SKU] = None
    category: Category | None = None
    description: Annotated[str | None, DESCRIPTION] = None
    unit: Annotated[str | None, UNIT] = None
    reference_price: Annotated[int | None, REFERENCE_PRICE] = None


@dataclass(frozen=True)
class DiscontinueProduct(Command):
    product_id: Annotated[str, PRODUCT_ID]
    reason: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class ChangeStorageCondition(Command):
    product_id: Annotated[str, PRODUCT_ID]
    storage_condition: StorageCondition
