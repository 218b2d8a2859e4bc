from __future__ import annotations

import pytest

from domain import (
    CompanyId,
    CustomerId,
    InventoryId,
    PositiveQuantity,
    ProductId,
    Quantity,
    ReservationId,
    Sku,
    StorageCondition,
    TransferId,
    ValidationError,
    WarehouseId,
    ZoneId,
    ZoneType,
)


@pytest.mark.parametrize(
    ("id_type", "good", "bad"),
    [
        (CompanyId, ["CMP-0001", "CMP-12345"], ["CMP-001", "cmp-0001", "CMP0001", ""]),
        (ProductId, ["PRD-000001", "PRD-1234567"], ["PRD-00001", "PRD-0000A1", "P-000001"]),
        (CustomerId, ["CUS-0001"], ["CUS-01", "CUST-0001"]),
        (WarehouseId, ["TKY", "OSK", "FUK"], ["tky", "TK", "TKYO", "T1Y"]),
        (ZoneId, ["TKY-01", "FUK-99"], ["TKY-1", "TKY01", "tky-01", "TKY-001"]),
        (InventoryId, ["PRD-000001@TKY-01"], ["PRD-000001@TKY", "PRD-000001-TKY-01"]),
        (ReservationId, ["R-1", "ord:42_a.b"], ["", "has space", "x" * 65, "引当"]),
        (TransferId, ["T-1"], ["", "a/b"]),
        (Sku, ["ABC", "SKU-0001"], ["AB", "-ABC", "abc1", "A" * 33]),
    ],
)
def test_ids_accept_exactly_their_one_format(
    id_type: type[str], good: list[str], bad: list[str]
) -> None:
    for value in good:
        assert id_type(value) == value
    for value in bad:
        with pytest.raises(ValidationError) as caught:
            id_type(value)
        assert caught.value.code == "VALIDATION"


def test_ids_refuse_non_strings() -> None:
    with pytest.raises(ValidationError):
        ProductId(1)


def test_zone_id_names_its_warehouse_and_zone_number() -> None:
    zone = ZoneId("OSK-02")
    assert (zone.warehouse_id, zone.zone_no) == ("OSK", "02")
    assert ZoneId.of("OSK", "02") == zone


def test_inventory_id_is_product_at_zone() -> None:
    inventory_id = InventoryId.of("PRD-000001", "TKY-01")
    assert inventory_id == "PRD-000001@TKY-01"
    assert inventory_id.product_id == "PRD-000001"
    assert inventory_id.zone_id == "TKY-01"
    assert inventory_id.warehouse_id == "TKY"


def test_inventory_id_of_refuses_malformed_parts() -> None:
    with pytest.raises(ValidationError):
        InventoryId.of("PRD-1", "TKY-01")


@pytest.mark.parametrize("bad", [-1, 1.0, True, "3", None])
def test_quantity_is_a_non_negative_int(bad: object) -> None:
    assert Quantity(0) == 0
    with pytest.raises(ValidationError):
        Quantity(bad)


def test_a_movement_quantity_must_be_positive() -> None:
    assert PositiveQuantity(1) == 1
    with pytest.raises(ValidationError):
        PositiveQuantity(0)


def test_zone_type_accepts_only_the_matching_storage_condition() -> None:
    assert ZoneType.CHILLED.accepts(StorageCondition.CHILLED)
    assert not ZoneType.AMBIENT.accepts(StorageCondition.FROZEN)
    assert StorageCondition.FROZEN.zone_type is ZoneType.FROZEN


def test_enums_carry_the_japanese_business_terms() -> None:
    assert [c.value for c in StorageCondition] == ["常温", "冷蔵", "冷凍"]
    assert StorageCondition("冷蔵") is StorageCondition.CHILLED
