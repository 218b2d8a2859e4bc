"""Product state and how events evolve it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from domain.aggregate import Absent, fold_with
from domain.enums import Category, ProductStatus, StorageCondition
from domain.message import Event
from domain.product.events import (
    ProductCreated_V1,
    ProductDiscontinued_V1,
    ProductUpdated_V1,
    ProductUpdated_V2,
    StorageConditionChanged_V1,
)


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    sku: str
    category: Category
    description: str
    storage_condition: StorageCondition
    unit: str
    reference_price: int | None
    status: ProductStatus
    version: int

    @property
    def discontinued(self) -> bool:
        return self.status is ProductStatus.DISCONTINUED


ProductState = Product | Absent


def evolve(state: ProductState, event: Event) -> ProductState:
    """Apply one recorded event to the state."""
    version = state.version + 1
    if isinstance(event, ProductCreated_V1):
        return Product(
            product_id=event.product_id,
            name=event.name,
            sku=event.sku,
            category=event.category,
            description=event.description,
            storage_condition=event.storage_condition,
            unit=event.unit,
            reference_price=event.reference_price,
            status=event.status,
            version=version,
        )
    if isinstance(state, Absent):
        raise TypeError(f"{type(event).__name__} before ProductCreated_V1")
    if isinstance(event, ProductUpdated_V1 | ProductUpdated_V2):
        return replace(
            state,
            name=event.name,
            sku=event.sku,
            category=event.category,
            description=event.description,
            unit=event.unit,
            reference_price=event.reference_price,
            version=version,
        )
    if isinstance(event, ProductDiscontinued_V1):
        return replace(state, status=event.status, version=version)
    if isinstance(event, StorageConditionChanged_V1):
        return replace(state, storage_condition=event.storage_condition, version=version)
    raise TypeError(f"not a product event: {type(event).__name__}")


def fold(events: Iterable[Event]) -> ProductState:
    """Rebuild the state from its whole event history."""
    return fold_with(evolve, events)
