"""WarehouseZone (倉庫別区画) state and how events evolve it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from domain.aggregate import Absent, fold_with
from domain.enums import ZoneType
from domain.message import Event
from domain.zone.events import (
    ZoneCapacityChanged_V1,
    ZoneCreated_V1,
    ZoneDeactivated_V1,
    ZoneUpdated_V1,
)


@dataclass(frozen=True)
class WarehouseZone:
    zone_id: str
    warehouse_id: str
    zone_no: str
    name: str
    zone_type: ZoneType
    capacity: int
    min_temperature_c: float | None
    max_temperature_c: float | None
    active: bool
    version: int


ZoneState = WarehouseZone | Absent


def evolve(state: ZoneState, event: Event) -> ZoneState:
    """Apply one recorded event to the state."""
    version = state.version + 1
    if isinstance(event, ZoneCreated_V1):
        return WarehouseZone(
            zone_id=event.zone_id,
            warehouse_id=event.warehouse_id,
            zone_no=event.zone_no,
            name=event.name,
            zone_type=event.zone_type,
            capacity=event.capacity,
            min_temperature_c=event.min_temperature_c,
            max_temperature_c=event.max_temperature_c,
            active=event.active,
            version=version,
        )
    if isinstance(state, Absent):
        raise TypeError(f"{type(event).__name__} before ZoneCreated_V1")
    if isinstance(event, ZoneUpdated_V1):
        return replace(
            state,
            name=event.name,
            min_temperature_c=event.min_temperature_c,
            max_temperature_c=event.max_temperature_c,
            version=version,
        )
    if isinstance(event, ZoneDeactivated_V1):
        return replace(state, active=False, version=version)
    if isinstance(event, ZoneCapacityChanged_V1):
        return replace(state, capacity=event.capacity, version=version)
    raise TypeError(f"not a zone event: {type(event).__name__}")


def fold(events: Iterable[Event]) -> ZoneState:
    """Rebuild the state from its whole event history."""
    return fold_with(evolve, events)
