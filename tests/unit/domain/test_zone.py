from __future__ import annotations

import pytest

from domain import (
    INITIAL,
    AlreadyExistsError,
    AlreadyInactiveError,
    ChangeZoneCapacity,
    CreateZone,
    DeactivateZone,
    NotFoundError,
    UpdateZone,
    ValidationError,
    ZoneCapacityChanged_V1,
    ZoneCreated_V1,
    ZoneDeactivated_V1,
    ZoneInactiveError,
    ZoneType,
    ZoneUpdated_V1,
)
from domain.zone import WarehouseZone, decide, evolve, fold

ZID = "TKY-02"
CREATE = CreateZone(ZID, "東京冷蔵", ZoneType.CHILLED, 20_000, 0.0, 10.0)


def created() -> WarehouseZone:
    state = fold(decide(INITIAL, CREATE))
    assert isinstance(state, WarehouseZone)
    return state


def test_creating_a_zone_names_its_warehouse_and_zone_number() -> None:
    [event] = decide(INITIAL, CREATE)
    assert event == ZoneCreated_V1(
        ZID, "TKY", "02", "東京冷蔵", ZoneType.CHILLED, 20_000, 0.0, 10.0, True
    )
    assert type(event.zone_id) is str and type(event.warehouse_id) is str


def test_creating_a_zone_twice_is_rejected() -> None:
    with pytest.raises(AlreadyExistsError):
        decide(created(), CREATE)


def test_a_temperature_range_upside_down_is_rejected() -> None:
    with pytest.raises(ValidationError):
        CreateZone(ZID, "x", ZoneType.FROZEN, 1, -10.0, -25.0)
    with pytest.raises(ValidationError):
        decide(created(), UpdateZone(ZID, min_temperature_c=12.0))


@pytest.mark.parametrize(
    "command", [UpdateZone(ZID, name="x"), DeactivateZone(ZID), ChangeZoneCapacity(ZID, 5)]
)
def test_a_command_on_a_missing_zone_is_rejected(command: object) -> None:
    with pytest.raises(NotFoundError):
        decide(INITIAL, command)  # type: ignore[arg-type]


def test_updating_a_zone_emits_the_fields_after_the_change() -> None:
    [event] = decide(created(), UpdateZone(ZID, max_temperature_c=8.0))
    assert event == ZoneUpdated_V1(ZID, "TKY", "02", "東京冷蔵", 0.0, 8.0)
    assert decide(created(), UpdateZone(ZID, name="東京冷蔵")) == []


def test_changing_zone_capacity_records_old_and_new() -> None:
    [event] = decide(created(), ChangeZoneCapacity(ZID, 25_000))
    assert event == ZoneCapacityChanged_V1(ZID, "TKY", "02", 20_000, 25_000)
    state = evolve(created(), event)
    assert isinstance(state, WarehouseZone) and state.capacity == 25_000


def test_a_deactivated_zone_refuses_changes_and_a_second_deactivation() -> None:
    [event] = decide(created(), DeactivateZone(ZID))
    assert isinstance(event, ZoneDeactivated_V1)
    state = evolve(created(), event)
    with pytest.raises(ZoneInactiveError):
        decide(state, ChangeZoneCapacity(ZID, 1))
    with pytest.raises(AlreadyInactiveError):
        decide(state, DeactivateZone(ZID))
