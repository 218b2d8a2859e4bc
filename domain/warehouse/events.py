"""Events of the Warehouse (倉庫) aggregate."""

from __future__ import annotations

from dataclasses import dataclass

from domain.message import Event

__all__ = [
    "CapacityChanged_V1",
    "WarehouseActivated_V1",
    "WarehouseCreated_V1",
    "WarehouseDeactivated_V1",
    "WarehouseUpdated_V1",
]


@dataclass(frozen=True)
class WarehouseCreated_V1(Event):
    warehouse_id: str
    name: str
    location: str
    floor_area_m2: float
    capacity: int
    active: bool


@dataclass(frozen=True)
class WarehouseUpdated_V1(Event):
    """Carries every descriptive field after the update, changed or not."""

    warehouse_id: str
    name: str
    location: str
    floor_area_m2: float


@dataclass(frozen=True)
class WarehouseActivated_V1(Event):
    """Not in the original design: activation must be a fact for state to be rebuilt."""

    warehouse_id: str


@dataclass(frozen=True)
class WarehouseDeactivated_V1(Event):
    warehouse_id: str
    reason: str | None


@dataclass(frozen=True)
class CapacityChanged_V1(Event):
    warehouse_id: str
    previous_capacity: int
    capacity: int
