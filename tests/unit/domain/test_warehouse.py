from __future__ import annotations

import pytest

from domain import (
    INITIAL,
    ActivateWarehouse,
    AlreadyActiveError,
    AlreadyExistsError,
    AlreadyInactiveError,
    CapacityChanged_V1,
    ChangeWarehouseCapacity,
    CreateWarehouse,
    DeactivateWarehouse,
    NotFoundError,
    UpdateWarehouse,
    ValidationError,
    WarehouseActivated_V1,
    WarehouseCreated_V1,
    WarehouseDeactivated_V1,
    WarehouseUpdated_V1,
)
from domain.warehouse import Warehouse, decide, evolve, fold

WID = "TKY"
CREATE = CreateWarehouse(WID, "東京倉庫", "東京都江東区", 5000, 100_000)


def created() -> Warehouse:
    state = fold(decide(INITIAL, CREATE))
    assert isinstance(state, Warehouse)
    return state


def test_creating_a_warehouse_makes_an_active_warehouse() -> None:
    [event] = decide(INITIAL, CREATE)
    assert event == WarehouseCreated_V1(WID, "東京倉庫", "東京都江東区", 5000.0, 100_000, True)
    assert created().active


def test_creating_a_warehouse_twice_is_rejected() -> None:
    with pytest.raises(AlreadyExistsError):
        decide(created(), CREATE)


@pytest.mark.parametrize("bad", [{"floor_area_m2": 0}, {"capacity": -1}, {"warehouse_id": "TOKYO"}])
def test_a_malformed_warehouse_is_rejected(bad: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "warehouse_id": WID,
        "name": "n",
        "location": "l",
        "floor_area_m2": 1.0,
        "capacity": 1,
    }
    with pytest.raises(ValidationError):
        CreateWarehouse(**{**fields, **bad})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "command",
    [
        UpdateWarehouse(WID, name="x"),
        ActivateWarehouse(WID),
        DeactivateWarehouse(WID),
        ChangeWarehouseCapacity(WID, 1),
    ],
)
def test_a_command_on_a_missing_warehouse_is_rejected(command: object) -> None:
    with pytest.raises(NotFoundError):
        decide(INITIAL, command)  # type: ignore[arg-type]


def test_updating_a_warehouse_emits_the_fields_after_the_change() -> None:
    [event] = decide(created(), UpdateWarehouse(WID, floor_area_m2=5200))
    assert event == WarehouseUpdated_V1(WID, "東京倉庫", "東京都江東区", 5200.0)
    assert decide(created(), UpdateWarehouse(WID, name="東京倉庫")) == []


def test_changing_capacity_records_old_and_new() -> None:
    [event] = decide(created(), ChangeWarehouseCapacity(WID, 120_000))
    assert event == CapacityChanged_V1(WID, 100_000, 120_000)
    state = evolve(created(), event)
    assert isinstance(state, Warehouse) and state.capacity == 120_000
    assert decide(created(), ChangeWarehouseCapacity(WID, 100_000)) == []


def test_a_warehouse_can_be_deactivated_and_activated_again() -> None:
    [off] = decide(created(), DeactivateWarehouse(WID, "改装"))
    assert isinstance(off, WarehouseDeactivated_V1)
    inactive = evolve(created(), off)
    assert isinstance(inactive, Warehouse) and not inactive.active
    with pytest.raises(AlreadyInactiveError):
        decide(inactive, DeactivateWarehouse(WID))
    [on] = decide(inactive, ActivateWarehouse(WID))
    assert on == WarehouseActivated_V1(WID)
    active = evolve(inactive, on)
    assert isinstance(active, Warehouse) and active.active and active.version == 3


def test_activating_an_active_warehouse_is_rejected() -> None:
    with pytest.raises(AlreadyActiveError):
        decide(created(), ActivateWarehouse(WID))
