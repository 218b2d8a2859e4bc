"""Events of the Product aggregate; each carries the full values a read model needs."""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import Category, ProductStatus, StorageCondition
from domain.message import Event

__all__ = [
    "ProductCreated_V1",
    "ProductDiscontinued_V1",
    "ProductUpdated_V1",
    "ProductUpdated_V2",
    "StorageConditionChanged_V1",
]


@dataclass(frozen=True)
class ProductCreated_V1(Event):
    product_id: str
    name: str
    sku: str
    category: Category
    storage_condition: StorageCondition
    unit: str
    description: str
    reference_price: int | None
    status: ProductStatus


@dataclass(frozen=True)
class ProductUpdated_V1(Event):
    """Carries every descriptive field after the update, changed or not."""

    product_id: str
    name: str
    sku: str
    category: Category
    description: str
    unit: str
    reference_price: int | None


@dataclass(frozen=True)
class ProductUpdated_V2(Event):
    """ProductUpdated_V1 plus the product's JAN code (unknown for events written as V1).

    Written as the schema-evolution example: readers resolve V1 data with the V2
    schema and the codec upcasts V1 to V2, so consumers handle only the newest form.
    """

    product_id: str
    name: str
    sku: str
    category: Category
    description: str
    unit: str
    reference_price: int | None
    jan_code: str | None = None


@dataclass(frozen=True)
class ProductDiscontinued_V1(Event):
    product_id: str
    reason: str | None
    status: ProductStatus


@dataclass(frozen=True)
class StorageConditionChanged_V1(Event):
    product_id: str
    previous_storage_condition: StorageCondition
    storage_condition: StorageCondition
