"""Events of the WarehouseZone (倉庫別区画) aggregate; each names warehouse and 区画番号."""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import ZoneType
from domain.message import Event

__all__ = [
    "ZoneCapacityChanged_V1",
    "ZoneCreated_V1",
    "ZoneDeactivated_V1",
    "ZoneUpdated_V1",
]


@dataclass(frozen=True)
class ZoneCreated_V1(Event):
    zone_id: str
    warehouse_id: str
    zone_no: str
    name: str
    zone_type: ZoneType
    capacity: int
    min_temperature_c: float | None
    max_temperature_c: float | None
    active: bool


@dataclass(frozen=True)
class ZoneUpdated_V1(Event):
    """Carries every descriptive field after the update, changed or not."""

    zone_id: str
    warehouse_id: str
    zone_no: str
    name: str
    min_temperature_c: float | None
    max_temperature_c: float | None


@dataclass(frozen=True)
class ZoneDeactivated_V1(Event):
    zone_id: str
    warehouse_id: str
    zone_no: str
    reason: str | None


@dataclass(frozen=True)
class ZoneCapacityChanged_V1(Event):
    zone_id: str
    warehouse_id: str
    zone_no: str
    previous_capacity: int
    capacity: int
