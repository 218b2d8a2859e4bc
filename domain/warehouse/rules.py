"""Warehouse (倉庫) business rules: which events a command produces."""

from __future__ import annotations

from domain.aggregate import Absent, keep_or, missing
from domain.errors import AlreadyActiveError, AlreadyExistsError, AlreadyInactiveError
from domain.message import Command, Event
from domain.warehouse.commands import (
    ActivateWarehouse,
    ChangeWarehouseCapacity,
    CreateWarehouse,
    DeactivateWarehouse,
    UpdateWarehouse,
)
from domain.warehouse.events import (
    CapacityChanged_V1,
    WarehouseActivated_V1,
    WarehouseCreated_V1,
    WarehouseDeactivated_V1,
    WarehouseUpdated_V1,
)
from domain.warehouse.state import WarehouseState


def decide(state: WarehouseState, command: Command) -> list[Event]:
    """Decide which events `command` produces against `state`, or raise a DomainError."""
    if isinstance(command, CreateWarehouse):
        if not isinstance(state, Absent):
            raise AlreadyExistsError("warehouse already exists", warehouse_id=command.warehouse_id)
        return [
            WarehouseCreated_V1(
                warehouse_id=command.warehouse_id,
                name=command.name,
                location=command.location,
                floor_area_m2=float(command.floor_area_m2),
                capacity=command.capacity,
                active=True,
            )
        ]
    if isinstance(state, Absent):
        raise missing("warehouse", warehouse_id=getattr(command, "warehouse_id", ""))
    warehouse_id = state.warehouse_id
    if isinstance(command, ActivateWarehouse):
        if state.active:
            raise AlreadyActiveError("warehouse already active", warehouse_id=warehouse_id)
        return [WarehouseActivated_V1(warehouse_id)]
    if isinstance(command, DeactivateWarehouse):
        if not state.active:
            raise AlreadyInactiveError("warehouse already inactive", warehouse_id=warehouse_id)
        return [WarehouseDeactivated_V1(warehouse_id, command.reason)]
    if isinstance(command, UpdateWarehouse):
        after = WarehouseUpdated_V1(
            warehouse_id=warehouse_id,
            name=keep_or(command.name, state.name),
            location=keep_or(command.location, state.location),
            floor_area_m2=float(keep_or(command.floor_area_m2, state.floor_area_m2)),
        )
        before = WarehouseUpdated_V1(warehouse_id, state.name, state.location, state.floor_area_m2)
        return [] if after == before else [after]
    if isinstance(command, ChangeWarehouseCapacity):
        if command.capacity == state.capacity:
            return []
        return [CapacityChanged_V1(warehouse_id, state.capacity, command.capacity)]
    raise TypeError(f"not a warehouse command: {type(command).__name__}")
