"""Warehouse (倉庫) state and how events evolve it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from domain.aggregate import Absent, fold_with
from domain.message import Event
from domain.warehouse.events import (
    CapacityChanged_V1,
    WarehouseActivated_V1,
    WarehouseCreated_V1,
    WarehouseDeactivated_V1,
    WarehouseUpdated_V1,
)


@dataclass(frozen=True)
class Warehouse:
    warehouse_id: str
    name: str
    location: str
    floor_area_m2: float
    capacity: int
    active: bool
    version: int


WarehouseState = Warehouse | Absent


def evolve(state: WarehouseState, event: Event) -> WarehouseState:
    """Apply one recorded event to the state."""
    version = state.version + 1
    if isinstance(event, WarehouseCreated_V1):
        return Warehouse(
            warehouse_id=event.warehouse_id,
            name=event.name,
            location=event.location,
            floor_area_m2=event.floor_area_m2,
            capacity=event.capacity,
            active=event.active,
            version=version,
        )
    if isinstance(state, Absent):
        raise TypeError(f"{type(event).__name__} before WarehouseCreated_V1")
    if isinstance(event, WarehouseUpdated_V1):
        return replace(
            state,
            name=event.name,
            location=event.location,
            floor_area_m2=event.floor_area_m2,
            version=version,
        )
    if isinstance(event, WarehouseActivated_V1):
        return replace(state, active=True, version=version)
    if isinstance(event, WarehouseDeactivated_V1):
        return replace(state, active=False, version=version)
    if isinstance(event, CapacityChanged_V1):
        return replace(state, capacity=event.capacity, version=version)
    raise TypeError(f"not a warehouse event: {type(event).__name__}")


def fold(events: Iterable[Event]) -> WarehouseState:
    """Rebuild the state from its whole event history."""
    return fold_with(evolve, events)
