"""Shared test data: ids, refs and a history runner for the inventory aggregate."""

from __future__ import annotations

from collections.abc import Iterable

from domain import INITIAL, Command, Event, StorageCondition, ZoneType
from domain import inventory as inv
from domain.inventory import ProductFacts, StockRefs, WarehouseFacts, ZoneFacts

PRODUCT = "PRD-000001"
AMBIENT_ZONE = "TKY-01"
CHILLED_ZONE = "TKY-02"
OSAKA_AMBIENT_ZONE = "OSK-01"
INV = f"{PRODUCT}@{AMBIENT_ZONE}"
INV_SAME_WAREHOUSE = f"{PRODUCT}@TKY-03"
INV_OSAKA = f"{PRODUCT}@{OSAKA_AMBIENT_ZONE}"
INV_CHILLED = f"{PRODUCT}@{CHILLED_ZONE}"


def refs(
    inventory_id: str = INV,
    *,
    condition: StorageCondition = StorageCondition.AMBIENT,
    zone_type: ZoneType = ZoneType.AMBIENT,
    discontinued: bool = False,
    warehouse_active: bool = True,
    zone_active: bool = True,
) -> StockRefs:
    """Build refs under which placing stock into `inventory_id` is allowed by default."""
    product_id, zone_id = inventory_id.split("@")
    return StockRefs(
        ProductFacts(product_id, condition, discontinued),
        WarehouseFacts(zone_id[:3], warehouse_active),
        ZoneFacts(zone_id, zone_type, zone_active),
    )


def run(commands: Iterable[Command], inventory_id: str = INV) -> inv.InventoryState:
    """Apply commands in order (with permissive refs) and return the resulting state."""
    state: inv.InventoryState = INITIAL
    for command in commands:
        for event in inv.decide(state, command, refs(inventory_id)):
            state = inv.evolve(state, event)
    return state


def apply(state: inv.InventoryState, events: Iterable[Event]) -> inv.InventoryState:
    for event in events:
        state = inv.evolve(state, event)
    return state


def existing(state: inv.InventoryState) -> inv.Inventory:
    assert isinstance(state, inv.Inventory)
    return state
