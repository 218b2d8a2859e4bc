"""Commands of the Warehouse (倉庫) aggregate."""

from __future__ import annotations

from dataclasses import dataclass

from domain.ids import WarehouseId
from domain.message import (
    NAME,
    NOTE,
    Command,
    non_negative_int,
    optional,
    positive_number,
    require,
    text,
)

__all__ = [
    "ActivateWarehouse",
    "ChangeWarehouseCapacity",
    "CreateWarehouse",
    "DeactivateWarehouse",
    "UpdateWarehouse",
]


LOCATION = text(300)


@dataclass(frozen=True)
class CreateWarehouse(Command):
    warehouse_id: str
    name: str
    location: str
    floor_area_m2: float
    capacity: int

    def validate(self) -> None:
        require(
            self,
            warehouse_id=WarehouseId,
            name=NAME,
            location=LOCATION,
            floor_area_m2=positive_number,
            capacity=non_negative_int,
        )


@dataclass(frozen=True)
class UpdateWarehouse(Command):
    """Change descriptive fields; a field left as None keeps its current value."""

    warehouse_id: str
    name: str | None = None
    location: str | None = None
    floor_area_m2: float | None = None

    def validate(self) -> None:
        require(self, warehouse_id=WarehouseId)
        optional(self, name=NAME, location=LOCATION, floor_area_m2=positive_number)


@dataclass(frozen=True)
class ActivateWarehouse(Command):
    warehouse_id: str

    def validate(self) -> None:
        require(self, warehouse_id=WarehouseId)


@dataclass(frozen=True)
class DeactivateWarehouse(Command):
    warehouse_id: str
    reason: str | None = None

    def validate(self) -> None:
        require(self, warehouse_id=WarehouseId)
        optional(self, reason=NOTE)


@dataclass(frozen=True)
class ChangeWarehouseCapacity(Command):
    warehouse_id: str
    capacity: int

    def validate(self) -> None:
        require(self, warehouse_id=WarehouseId, capacity=non_negative_int)
