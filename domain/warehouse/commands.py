"""Commands of the Warehouse (倉庫) aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from domain.fields import CAPACITY, FLOOR_AREA, LOCATION, NAME, NOTE, WAREHOUSE_ID
from domain.message import Command

__all__ = [
    "ActivateWarehouse",
    "ChangeWarehouseCapacity",
    "CreateWarehouse",
    "DeactivateWarehouse",
    "UpdateWarehouse",
]


@dataclass(frozen=True)
class CreateWarehouse(Command):
    warehouse_id: Annotated[str, WAREHOUSE_ID]
    name: Annotated[str, NAME]
    location: Annotated[str, LOCATION]
    floor_area_m2: Annotated[float, FLOOR_AREA]
    capacity: Annotated[int, CAPACITY]


@dataclass(frozen=True)
class UpdateWarehouse(Command):
    """Change descriptive fields; a field left as None keeps its current value."""

    warehouse_id: Annotated[str, WAREHOUSE_ID]
    name: Annotated[str | None, NAME] = None
    location: Annotated[str | None, LOCATION] = None
    floor_area_m2: Annotated[float | None, FLOOR_AREA] = None


@dataclass(frozen=True)
class ActivateWarehouse(Command):
    warehouse_id: Annotated[str, WAREHOUSE_ID]


@dataclass(frozen=True)
class DeactivateWarehouse(Command):
    warehouse_id: Annotated[str, WAREHOUSE_ID]
    reason: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class ChangeWarehouseCapacity(Command):
    warehouse_id: Annotated[str, WAREHOUSE_ID]
    capacity: Annotated[int, CAPACITY]
