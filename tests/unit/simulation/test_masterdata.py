"""The master-data generator: deterministic, with the business's counts and splits."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from domain.enums import Category, CompanyType, CustomerType, StorageCondition, ZoneType
from domain.ids import CompanyId, CustomerId, InventoryId, ProductId, Sku
from schemas import decode_command, encode
from simulation.load_plan import plan
from simulation.masterdata import generate
from simulation.model import MasterData, MasterDataSpec


@pytest.fixture(scope="module")
def full() -> MasterData:
    return generate(MasterDataSpec(seed=42))


def test_the_same_seed_gives_the_same_data() -> None:
    assert generate(MasterDataSpec(seed=7, products=300)) == generate(
        MasterDataSpec(seed=7, products=300)
    )


def test_another_seed_gives_other_names_and_stock() -> None:
    one, two = (
        generate(MasterDataSpec(seed=1, products=300)),
        generate(MasterDataSpec(seed=2, products=300)),
    )
    assert [p.name for p in one.products] != [p.name for p in two.products]
    assert [p.quantity for p in one.placements] != [p.quantity for p in two.placements]


def test_full_size_has_8000_products_430_customers_3_warehouses_9_zones(full: MasterData) -> None:
    assert (len(full.products), len(full.customers)) == (8000, 430)
    assert (len(full.warehouses), len(full.zones), len(full.placements)) == (3, 9, 8000)
    assert len({p.sku for p in full.products}) == 8000


def test_customers_split_50_30_200_150_and_each_belongs_to_a_partner(full: MasterData) -> None:
    counts = Counter(c.customer_type for c in full.customers)
    assert counts == {
        CustomerType.SUPERMARKET: 50,
        CustomerType.CONVENIENCE_STORE: 30,
        CustomerType.RESTAURANT: 200,
        CustomerType.RETAILER: 150,
    }
    companies = {c.company_id: c for c in full.companies}
    assert [c.company_type for c in full.companies].count(CompanyType.OWN) == 1
    assert full.companies[0].name == "株式会社D商事"
    for customer in full.customers:
        assert companies[customer.company_id].company_type is CompanyType.PARTNER


def test_food_is_stored_60_30_10_and_daily_goods_ambient(full: MasterData) -> None:
    food = Counter(p.storage_condition for p in full.products if p.category is Category.FOOD)
    total = sum(food.values())
    for condition, share in ((StorageCondition.AMBIENT, 0.6), (StorageCondition.CHILLED, 0.3),
                             (StorageCondition.FROZEN, 0.1)):  # fmt: skip
        assert food[condition] / total == pytest.approx(share, abs=0.01)
    daily = {p.storage_condition for p in full.products if p.category is Category.DAILY_GOODS}
    assert daily == {StorageCondition.AMBIENT}
    assert {p.subcategory for p in full.products} == {
        "加工食品", "飲料", "調味料", "菓子", "生鮮", "洗剤", "トイレタリー", "雑貨",
    }  # fmt: skip


def test_initial_stock_splits_50_30_20_across_tokyo_osaka_fukuoka(full: MasterData) -> None:
    units: Counter[str] = Counter()
    for placement in full.placements:
        units[placement.warehouse_id] += placement.quantity
    total = sum(units.values())
    for code, share in (("TKY", 0.5), ("OSK", 0.3), ("FUK", 0.2)):
        assert units[code] / total == pytest.approx(share, abs=0.02)


def test_every_product_sits_in_a_zone_of_its_storage_condition(full: MasterData) -> None:
    for placement in full.placements:
        product = full.product_by_id[placement.product_id]
        zone = full.zone_by_id[placement.zone_id]
        assert zone.zone_type is product.storage_condition.zone_type
        assert zone.warehouse_id == placement.warehouse_id
        assert InventoryId.of(product.product_id, zone.zone_id) == placement.inventory_id


def test_warehouses_have_their_floor_areas_and_three_zone_types(full: MasterData) -> None:
    areas = {w.warehouse_id: w.floor_area_m2 for w in full.warehouses}
    assert areas == {"TKY": 5000.0, "OSK": 3500.0, "FUK": 2000.0}
    for warehouse in full.warehouses:
        own = [z for z in full.zones if z.warehouse_id == warehouse.warehouse_id]
        assert {z.zone_type for z in own} == set(ZoneType)
        assert warehouse.capacity == sum(z.capacity for z in own)
        for zone in own:
            assert zone.min_temperature_c < zone.max_temperature_c
            assert zone.low_stock_threshold > 0


def test_initial_stock_fits_every_zone(full: MasterData) -> None:
    units: Counter[str] = Counter()
    for placement in full.placements:
        units[placement.zone_id] += placement.quantity
    for zone in full.zones:
        assert 0.3 < units[zone.zone_id] / zone.capacity < 0.9


def test_a_small_data_set_keeps_the_proportions() -> None:
    small = generate(MasterDataSpec(seed=3, products=60, customers=43))
    assert Counter(c.customer_type for c in small.customers) == {
        CustomerType.SUPERMARKET: 5, CustomerType.CONVENIENCE_STORE: 3,
        CustomerType.RESTAURANT: 20, CustomerType.RETAILER: 15,
    }  # fmt: skip
    assert Counter(p.warehouse_id for p in small.placements) == {"TKY": 30, "OSK": 18, "FUK": 12}


def test_the_id_base_and_warehouse_codes_move_every_id() -> None:
    data = generate(MasterDataSpec(products=5, customers=8, id_base=870000,
                                   warehouse_codes=("QTK", "QOS", "QFK")))  # fmt: skip
    assert data.products[0].product_id == "PRD-870001"
    assert data.customers[0].customer_id == "CUS-870001"
    assert data.companies[0].company_id == "CMP-870001"
    assert {z.warehouse_id for z in data.zones} == {"QTK", "QOS", "QFK"}
    for p in data.products:
        ProductId(p.product_id), Sku(p.sku)
    for c in data.customers:
        CustomerId(c.customer_id), CompanyId(c.company_id)


def test_every_load_command_is_valid_and_encodes() -> None:
    data = generate(MasterDataSpec(seed=5, products=40, customers=12))
    phases = plan(data, dt.datetime.now(dt.UTC))
    assert [p.name for p in phases] == ["倉庫", "区画", "商品・取引先", "在庫", "初期在庫入庫"]
    envelopes = [e for phase in phases for e in phase.envelopes]
    assert len(envelopes) == 3 + 9 + 40 + 12 + 40 + 40
    assert len({e.meta.command_id for e in envelopes}) == len(envelopes)
    for envelope in envelopes:
        assert decode_command(encode(envelope)).command == envelope.command


def test_load_command_ids_depend_only_on_the_data_set_and_entity() -> None:
    spec = MasterDataSpec(seed=5, products=40)
    first = plan(generate(spec), dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    again = plan(generate(spec), dt.datetime.now(dt.UTC))
    ids = [e.meta.command_id for p in first for e in p.envelopes]
    assert ids == [e.meta.command_id for p in again for e in p.envelopes]
    assert "load-5.40x430-CreateProduct-PRD-000001" in ids
    for other in (MasterDataSpec(seed=6, products=40), MasterDataSpec(seed=5, products=41)):
        assert not set(ids) & {
            e.meta.command_id
            for p in plan(generate(other), dt.datetime.now(dt.UTC))
            for e in p.envelopes
        }
