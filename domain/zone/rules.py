"""WarehouseZone (倉庫別区画) business rules: which events a command produces."""

from __future__ import annotations

from domain.aggregate import Absent, keep_or, missing
from domain.errors import AlreadyExistsError, AlreadyInactiveError, ZoneInactiveError
from domain.ids import ZoneId
from domain.message import Command, Event
from domain.zone.commands import (
    ChangeZoneCapacity,
    CreateZone,
    DeactivateZone,
    UpdateZone,
    check_temperature_range,
)
from domain.zone.events import (
    ZoneCapacityChanged_V1,
    ZoneCreated_V1,
    ZoneDeactivated_V1,
    ZoneUpdated_V1,
)
from domain.zone.state import ZoneState


def decide(state: ZoneState, command: Command) -> list[Event]:
    """Decide which events `command` produces against `state`, or raise a DomainError."""
    if isinstance(command, CreateZone):
        if not isinstance(state, Absent):
            raise AlreadyExistsError("zone already exists", zone_id=command.zone_id)
        zone_id = ZoneId(command.zone_id)
        return [
            ZoneCreated_V1(
                zone_id=str(zone_id),
                warehouse_id=str(zone_id.warehouse_id),
                zone_no=zone_id.zone_no,
                name=command.name,
                zone_type=command.zone_type,
                capacity=command.capacity,
                min_temperature_c=command.min_temperature_c,
                max_temperature_c=command.max_temperature_c,
                active=True,
            )
        ]
    if isinstance(state, Absent):
        raise missing("zone", zone_id=getattr(command, "zone_id", ""))
    ids = (state.zone_id, state.warehouse_id, state.zone_no)
    if not state.active:
        if isinstance(command, DeactivateZone):
            raise AlreadyInactiveError("zone already inactive", zone_id=state.zone_id)
        raise ZoneInactiveError("zone is inactive", zone_id=state.zone_id)
    if isinstance(command, DeactivateZone):
        return [ZoneDeactivated_V1(*ids, command.reason)]
    if isinstance(command, UpdateZone):
        low = keep_or(command.min_temperature_c, state.min_temperature_c)
        high = keep_or(command.max_temperature_c, state.max_temperature_c)
        check_temperature_range(low, high)
        after = ZoneUpdated_V1(*ids, keep_or(command.name, state.name), low, high)
        before = ZoneUpdated_V1(*ids, state.name, state.min_temperature_c, state.max_temperature_c)
        return [] if after == before else [after]
    if isinstance(command, ChangeZoneCapacity):
        if command.capacity == state.capacity:
            return []
        return [ZoneCapacityChanged_V1(*ids, state.capacity, command.capacity)]
    raise TypeError(f"not a zone command: {type(command).__name__}")
