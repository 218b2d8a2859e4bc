"""Facts Inventory needs from other aggregates, gathered by the application layer.

Inventory's decide stays pure: the caller loads Product, Warehouse and WarehouseZone, turns
their states into facts with the builders below and passes them as `StockRefs`.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.aggregate import Absent
from domain.enums import StorageCondition, ZoneType
from domain.errors import (
    ProductDiscontinuedError,
    StorageConditionViolationError,
    UnknownProductError,
    UnknownWarehouseError,
    UnknownZoneError,
    ValidationError,
    WarehouseInactiveError,
    ZoneInactiveError,
)
from domain.inventory.events import StorageConditionViolated_V1
from domain.inventory.state import Inventory
from domain.product.state import ProductState
from domain.warehouse.state import WarehouseState
from domain.zone.state import ZoneState


@dataclass(frozen=True)
class ProductFacts:
    product_id: str
    storage_condition: StorageCondition
    discontinued: bool


@dataclass(frozen=True)
class WarehouseFacts:
    warehouse_id: str
    active: bool


@dataclass(frozen=True)
class ZoneFacts:
    zone_id: str
    zone_type: ZoneType
    active: bool


@dataclass(frozen=True)
class StockRefs:
    """What Inventory knows of its product, warehouse and zone; None means it does not exist."""

    product: ProductFacts | None = None
    warehouse: WarehouseFacts | None = None
    zone: ZoneFacts | None = None


EMPTY_REFS = StockRefs()


def product_facts(state: ProductState) -> ProductFacts | None:
    """Extract what Inventory needs from a Product state (None if it does not exist)."""
    if isinstance(state, Absent):
        return None
    return ProductFacts(state.product_id, state.storage_condition, state.discontinued)


def warehouse_facts(state: WarehouseState) -> WarehouseFacts | None:
    """Extract what Inventory needs from a Warehouse state (None if it does not exist)."""
    if isinstance(state, Absent):
        return None
    return WarehouseFacts(state.warehouse_id, state.active)


def zone_facts(state: ZoneState) -> ZoneFacts | None:
    """Extract what Inventory needs from a WarehouseZone state (None if it does not exist)."""
    if isinstance(state, Absent):
        return None
    return ZoneFacts(state.zone_id, state.zone_type, state.active)


def stock_refs(product: ProductState, warehouse: WarehouseState, zone: ZoneState) -> StockRefs:
    """Build the refs for one inventory from the three states it depends on."""
    return StockRefs(product_facts(product), warehouse_facts(warehouse), zone_facts(zone))


def check_can_place(
    target: Inventory,
    refs: StockRefs,
    attempted_command: str,
    quantity: int,
    transfer_id: str | None = None,
) -> None:
    """Refuse new stock for `target` unless product, warehouse and zone all accept it.

    A zone type that differs from the product's storage condition is refused *and* recorded:
    the error carries a StorageConditionViolated_V1 for the edge to append.
    """
    inventory_id = target.inventory_id
    product, warehouse, zone = refs.product, refs.warehouse, refs.zone
    if product is None:
        raise UnknownProductError("unknown product", product_id=target.product_id)
    if warehouse is None:
        raise UnknownWarehouseError("unknown warehouse", warehouse_id=target.warehouse_id)
    if zone is None:
        raise UnknownZoneError("unknown zone", zone_id=target.zone_id)
    referenced = (product.product_id, warehouse.warehouse_id, zone.zone_id)
    if referenced != target.key[1:]:
        raise ValidationError("refs describe another inventory", inventory_id=inventory_id)
    if product.discontinued:
        raise ProductDiscontinuedError(
            "product is discontinued", product_id=product.product_id, inventory_id=inventory_id
        )
    if not warehouse.active:
        raise WarehouseInactiveError(
            "warehouse is inactive", warehouse_id=warehouse.warehouse_id, inventory_id=inventory_id
        )
    if not zone.active:
        raise ZoneInactiveError("zone is inactive", zone_id=zone.zone_id, inventory_id=inventory_id)
    if not zone.zone_type.accepts(product.storage_condition):
        violation = StorageConditionViolated_V1(
            *target.key,
            storage_condition=product.storage_condition,
            zone_type=zone.zone_type,
            attempted_command=attempted_command,
            quantity=quantity,
            transfer_id=transfer_id,
        )
        raise StorageConditionViolationError(
            f"{product.storage_condition.value} product refused by {zone.zone_type.value} zone",
            [violation],
            inventory_id=inventory_id,
            product_id=product.product_id,
            zone_id=zone.zone_id,
        )
