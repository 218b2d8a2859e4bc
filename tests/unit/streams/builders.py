"""Envelopes and command sets for the command-side tests (unit and integration)."""

from __future__ import annotations

import uuid
from typing import Any

from domain import (
    AdjustmentReason,
    Category,
    CreateCustomer,
    CreateInventory,
    CreateProduct,
    CreateWarehouse,
    CreateZone,
    CustomerType,
    ReceiveStock,
    StorageCondition,
    ZoneType,
    aggregate_id_of,
)
from domain.message import Command
from schemas import CommandEnvelope, CommandMeta, now_millis
from tests.unit.codes import unique_warehouse


def envelope(command: Command, command_id: str | None = None) -> CommandEnvelope[Any]:
    """Wrap ``command`` in an envelope with a fresh (or the given) command id."""
    command_id = command_id or str(uuid.uuid4())
    meta = CommandMeta(
        command_id=command_id,
        aggregate_id=aggregate_id_of(command),
        issued_at=now_millis(),
        channel="test",
        correlation_id=command_id,
    )
    return CommandEnvelope(meta, command)


def unique_number() -> int:
    """Return a number unlikely to repeat across test runs sharing one stack."""
    return uuid.uuid4().int % 900_000 + 100_000


def create_product(
    product_id: str, condition: StorageCondition = StorageCondition.AMBIENT
) -> CreateProduct:
    return CreateProduct(
        product_id=product_id,
        name="醤油 1L",
        sku=f"SKU-{product_id[4:]}",
        category=Category.FOOD,
        storage_condition=condition,
        unit="本",
    )


def create_warehouse(warehouse_id: str) -> CreateWarehouse:
    return CreateWarehouse(
        warehouse_id=warehouse_id, name="東京倉庫", location="東京都", floor_area_m2=5000.0,
        capacity=100_000,
    )  # fmt: skip


def create_zone(zone_id: str, zone_type: ZoneType = ZoneType.AMBIENT) -> CreateZone:
    return CreateZone(zone_id=zone_id, name="常温区画", zone_type=zone_type, capacity=10_000)


def create_customer(customer_id: str) -> CreateCustomer:
    return CreateCustomer(
        customer_id=customer_id, company_id="CMP-0001", name="スーパーA",
        customer_type=CustomerType.SUPERMARKET, address="東京都", contact="03-0000-0000",
    )  # fmt: skip


def stocked_inventory(product_id: str, zone_id: str) -> list[Command]:
    """Return the commands that create a product, its warehouse, zone and inventory."""
    inventory_id = f"{product_id}@{zone_id}"
    return [
        create_product(product_id),
        create_warehouse(zone_id[:3]),
        create_zone(zone_id),
        CreateInventory(inventory_id),
        ReceiveStock(inventory_id, 100),
    ]


__all__ = ["AdjustmentReason", "envelope", "stocked_inventory", "unique_number", "unique_warehouse"]
