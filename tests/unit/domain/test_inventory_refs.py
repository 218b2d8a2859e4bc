from __future__ import annotations

import pytest

from domain import (
    INITIAL,
    Category,
    CreateInventory,
    CreateProduct,
    CreateWarehouse,
    CreateZone,
    DeactivateZone,
    DomainError,
    ProductDiscontinuedError,
    ReceiveStock,
    StorageCondition,
    StorageConditionViolated_V1,
    StorageConditionViolationError,
    UnknownProductError,
    UnknownWarehouseError,
    UnknownZoneError,
    ValidationError,
    WarehouseInactiveError,
    ZoneInactiveError,
    ZoneType,
    product,
    warehouse,
    zone,
)
from domain import inventory as inv
from domain.inventory import EMPTY_REFS, StockRefs, stock_refs

from .builders import INV, existing, refs, run


def empty() -> inv.Inventory:
    return existing(run([CreateInventory(INV)]))


def test_refs_are_built_from_the_states_of_other_aggregates() -> None:
    p = product.fold(
        product.decide(
            INITIAL,
            CreateProduct(
                "PRD-000001", "米", "RICE-1", Category.FOOD, StorageCondition.AMBIENT, "袋"
            ),
        )
    )
    w = warehouse.fold(
        warehouse.decide(INITIAL, CreateWarehouse("TKY", "東京", "江東区", 5000.0, 10))
    )
    z0 = zone.fold(zone.decide(INITIAL, CreateZone("TKY-01", "常温", ZoneType.AMBIENT, 10)))
    built = stock_refs(p, w, z0)
    assert inv.decide(INITIAL, CreateInventory(INV), built)
    z1 = zone.evolve(z0, zone.decide(z0, DeactivateZone("TKY-01"))[0])
    with pytest.raises(ZoneInactiveError):
        inv.decide(empty(), ReceiveStock(INV, 1), stock_refs(p, w, z1))
    assert stock_refs(INITIAL, INITIAL, INITIAL) == EMPTY_REFS


@pytest.mark.parametrize(
    ("missing", "error"),
    [
        ("product", UnknownProductError),
        ("warehouse", UnknownWarehouseError),
        ("zone", UnknownZoneError),
    ],
)
def test_receiving_with_an_unknown_reference_is_rejected(
    missing: str, error: type[DomainError]
) -> None:
    full = refs()
    partial = StockRefs(**{**full.__dict__, missing: None})
    with pytest.raises(error):
        inv.decide(empty(), ReceiveStock(INV, 1), partial)
    with pytest.raises(error):
        inv.decide(INITIAL, CreateInventory(INV), partial)


def test_refs_describing_another_inventory_are_rejected() -> None:
    with pytest.raises(ValidationError):
        inv.decide(empty(), ReceiveStock(INV, 1), refs("PRD-000002@TKY-01"))


@pytest.mark.parametrize(
    ("flags", "error"),
    [
        ({"discontinued": True}, ProductDiscontinuedError),
        ({"warehouse_active": False}, WarehouseInactiveError),
        ({"zone_active": False}, ZoneInactiveError),
    ],
)
def test_inactive_references_refuse_new_stock(
    flags: dict[str, bool], error: type[DomainError]
) -> None:
    with pytest.raises(error):
        inv.decide(empty(), ReceiveStock(INV, 1), refs(**flags))  # type: ignore[arg-type]
    with pytest.raises(error):
        inv.decide(INITIAL, CreateInventory(INV), refs(**flags))  # type: ignore[arg-type]


def test_a_receipt_into_a_mismatched_zone_is_refused_and_recorded() -> None:
    state = empty()
    mismatch = refs(condition=StorageCondition.FROZEN, zone_type=ZoneType.AMBIENT)
    with pytest.raises(StorageConditionViolationError) as caught:
        inv.decide(state, ReceiveStock(INV, 5), mismatch)
    [event] = caught.value.events_to_record
    assert isinstance(event, StorageConditionViolated_V1)
    assert (event.storage_condition, event.zone_type, event.quantity) == (
        StorageCondition.FROZEN,
        ZoneType.AMBIENT,
        5,
    )
    assert event.attempted_command == "ReceiveStock"
    after = existing(inv.evolve(state, event))
    assert (after.on_hand, after.version) == (0, state.version + 1)


def test_creating_an_inventory_in_a_mismatched_zone_is_refused_and_recorded() -> None:
    mismatch = refs(condition=StorageCondition.CHILLED, zone_type=ZoneType.FROZEN)
    with pytest.raises(StorageConditionViolationError) as caught:
        inv.decide(INITIAL, CreateInventory(INV), mismatch)
    [event] = caught.value.events_to_record
    assert isinstance(event, StorageConditionViolated_V1)
    still_absent = inv.evolve(INITIAL, event)
    assert not isinstance(still_absent, inv.Inventory) and still_absent.version == 1
    [created] = inv.decide(still_absent, CreateInventory(INV), refs())
    assert existing(inv.evolve(still_absent, created)).version == 2


def test_receiving_without_refs_is_refused() -> None:
    with pytest.raises(UnknownProductError):
        inv.decide(empty(), ReceiveStock(INV, 1))
