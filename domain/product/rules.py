"""Product business rules: which events a command produces."""

from __future__ import annotations

from domain.aggregate import Absent, keep_or, missing
from domain.enums import Category, ProductStatus, StorageCondition
from domain.errors import (
    AlreadyExistsError,
    AlreadyInactiveError,
    CategoryStorageMismatchError,
    ProductDiscontinuedError,
)
from domain.message import Command, Event
from domain.product.commands import (
    ChangeStorageCondition,
    CreateProduct,
    DiscontinueProduct,
    UpdateProduct,
)
from domain.product.events import (
    ProductCreated_V1,
    ProductDiscontinued_V1,
    ProductUpdated_V1,
    StorageConditionChanged_V1,
)
from domain.product.state import Product, ProductState


def decide(state: ProductState, command: Command) -> list[Event]:
    """Decide which events `command` produces against `state`, or raise a DomainError."""
    if isinstance(command, CreateProduct):
        if not isinstance(state, Absent):
            raise AlreadyExistsError("product already exists", product_id=command.product_id)
        _check_category(command.product_id, command.category, command.storage_condition)
        return [
            ProductCreated_V1(
                product_id=command.product_id,
                name=command.name,
                sku=command.sku,
                category=command.category,
                storage_condition=command.storage_condition,
                unit=command.unit,
                description=command.description,
                reference_price=command.reference_price,
                status=ProductStatus.ACTIVE,
            )
        ]
    if isinstance(state, Absent):
        raise missing("product", product_id=getattr(command, "product_id", ""))
    if isinstance(command, DiscontinueProduct):
        if state.discontinued:
            raise AlreadyInactiveError("product already discontinued", product_id=state.product_id)
        return [
            ProductDiscontinued_V1(state.product_id, command.reason, ProductStatus.DISCONTINUED)
        ]
    if state.discontinued:
        raise ProductDiscontinuedError("product is discontinued", product_id=state.product_id)
    if isinstance(command, UpdateProduct):
        return _update(state, command)
    if isinstance(command, ChangeStorageCondition):
        if command.storage_condition is state.storage_condition:
            return []
        _check_category(state.product_id, state.category, command.storage_condition)
        return [
            StorageConditionChanged_V1(
                state.product_id, state.storage_condition, command.storage_condition
            )
        ]
    raise TypeError(f"not a product command: {type(command).__name__}")


def _check_category(product_id: str, category: Category, condition: StorageCondition) -> None:
    if category is Category.DAILY_GOODS and condition is not StorageCondition.AMBIENT:
        raise CategoryStorageMismatchError(
            "daily goods (日用品) must be stored ambient (常温)", product_id=product_id
        )


def _update(product: Product, command: UpdateProduct) -> list[Event]:
    after = ProductUpdated_V1(
        product_id=product.product_id,
        name=keep_or(command.name, product.name),
        sku=keep_or(command.sku, product.sku),
        category=keep_or(command.category, product.category),
        description=keep_or(command.description, product.description),
        unit=keep_or(command.unit, product.unit),
        reference_price=keep_or(command.reference_price, product.reference_price),
    )
    unchanged = all(getattr(after, f) == getattr(product, f) for f in _DESCRIPTIVE)
    if unchanged:
        return []
    _check_category(product.product_id, after.category, product.storage_condition)
    return [after]


_DESCRIPTIVE = ("name", "sku", "category", "description", "unit", "reference_price")
