"""Play a simulated day against the pure Inventory aggregate (no Kafka) to get outcomes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.errors import DomainError
from domain.inventory import (
    INITIAL,
    ProductFacts,
    StockRefs,
    WarehouseFacts,
    ZoneFacts,
    decide,
    evolve,
)
from domain.inventory.commands import CreateInventory, ReceiveStock
from domain.messages import COMMANDS
from simulation.model import MasterData
from simulation.movement import ACCEPTED, Movement


def refs_for(data: MasterData, inventory_id: str) -> StockRefs:
    product_id, zone_id = inventory_id.split("@")
    product, zone = data.product_by_id[product_id], data.zone_by_id[zone_id]
    return StockRefs(
        ProductFacts(product_id, product.storage_condition, False),
        WarehouseFacts(zone.warehouse_id, True),
        ZoneFacts(zone_id, zone.zone_type, True),
    )


def _apply(state: Any, command: Any, refs: StockRefs) -> Any:
    for event in decide(state, command, refs):
        state = evolve(state, event)
    return state


def opening_states(data: MasterData) -> dict[str, Any]:
    """Return each placement's inventory after CreateInventory and the initial receipt."""
    states = {}
    for p in data.placements:
        refs = refs_for(data, p.inventory_id)
        state = _apply(INITIAL, CreateInventory(p.inventory_id), refs)
        states[p.inventory_id] = _apply(state, ReceiveStock(p.inventory_id, p.quantity), refs)
    return states


def replay(data: MasterData, movements: Iterable[Movement]) -> dict[str, str]:
    """Return command id -> ACCEPTED or the rejection code, deciding in the given order."""
    states = opening_states(data)
    outcomes = {}
    for m in movements:
        command = COMMANDS[m.command](**m.fields)
        refs = refs_for(data, m.aggregate_id)
        try:
            states[m.aggregate_id] = _apply(states.get(m.aggregate_id, INITIAL), command, refs)
            outcomes[m.command_id] = ACCEPTED
        except DomainError as e:
            outcomes[m.command_id] = e.code
    return outcomes
