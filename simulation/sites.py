"""Warehouses, their 9 zones, per-zone thresholds and the initial stock placement."""

from __future__ import annotations

import random
from collections.abc import Sequence

from domain.enums import StorageCondition, ZoneType
from domain.ids import InventoryId, ZoneId
from simulation.model import Placement, ProductSpec, WarehouseSpec, ZoneSpec
from simulation.products import apportion

# 東京 (main, 5,000㎡), 大阪 (3,500㎡), 福岡 (2,000㎡); initial stock 50/30/20.
WAREHOUSES = (
    ("東京倉庫", "東京都江東区新木場2-5-1", 5000.0),
    ("大阪倉庫", "大阪府大阪市住之江区南港北1-8-3", 3500.0),
    ("福岡倉庫", "福岡県福岡市東区箱崎ふ頭4-3-2", 2000.0),
)
STOCK_SPLIT = (0.5, 0.3, 0.2)
# 区画番号, share of the floor area, units per ㎡, temperature range °C, threshold.
ZONE_LAYOUT: dict[ZoneType, tuple[str, float, int, tuple[float, float], int]] = {
    ZoneType.AMBIENT: ("01", 0.60, 125, (10.0, 25.0), 20),
    ZoneType.CHILLED: ("02", 0.25, 100, (0.0, 10.0), 12),
    ZoneType.FROZEN: ("03", 0.15, 55, (-25.0, -18.0), 8),
}
THRESHOLD_FACTOR = (1.5, 1.0, 0.8)  # the main warehouse reorders earlier
# Initial units per product by sub-category (fresh goods turn over fast: less on hand).
INITIAL_UNITS: dict[str, tuple[int, int]] = {
    "加工食品": (40, 160), "飲料": (60, 240), "調味料": (30, 120), "菓子": (40, 160),
    "生鮮": (10, 60), "洗剤": (20, 100), "トイレタリー": (20, 120), "雑貨": (20, 100),
}  # fmt: skip


def generate_sites(
    codes: tuple[str, str, str],
) -> tuple[tuple[WarehouseSpec, ...], tuple[ZoneSpec, ...]]:
    """Return the three warehouses and their three zones each."""
    warehouses, zones = [], []
    for index, (code, (name, location, area)) in enumerate(zip(codes, WAREHOUSES, strict=True)):
        own = [_zone(code, index, area, zone_type) for zone_type in ZONE_LAYOUT]
        zones += own
        capacity = sum(z.capacity for z in own)
        warehouses.append(WarehouseSpec(code, name, location, area, capacity))
    return tuple(warehouses), tuple(zones)


def _zone(code: str, index: int, area: float, zone_type: ZoneType) -> ZoneSpec:
    zone_no, share, density, (low, high), threshold = ZONE_LAYOUT[zone_type]
    zone_area = area * share
    return ZoneSpec(
        zone_id=ZoneId.of(code, zone_no),
        warehouse_id=code,
        name=f"{zone_type}区画",
        zone_type=zone_type,
        capacity=int(zone_area * density),
        floor_area_m2=zone_area,
        min_temperature_c=low,
        max_temperature_c=high,
        low_stock_threshold=round(threshold * THRESHOLD_FACTOR[index]),
    )


def place_stock(
    seed: int, products: Sequence[ProductSpec], zones: Sequence[ZoneSpec]
) -> tuple[Placement, ...]:
    """Put each product in one warehouse (50/30/20 per storage condition) in its zone type."""
    rng = random.Random(f"{seed}:stock")
    codes = list(dict.fromkeys(z.warehouse_id for z in zones))
    zone_of = {(z.warehouse_id, z.zone_type): z for z in zones}
    warehouse_of: dict[str, str] = {}
    for condition in StorageCondition:
        group = [p.product_id for p in products if p.storage_condition is condition]
        plan = [
            code
            for code, n in zip(codes, apportion(len(group), STOCK_SPLIT), strict=True)
            for _ in range(n)
        ]
        rng.shuffle(plan)
        warehouse_of.update(zip(group, plan, strict=True))
    placements = []
    for product in products:
        code = warehouse_of[product.product_id]
        zone = zone_of[(code, product.storage_condition.zone_type)]
        low, high = INITIAL_UNITS[product.subcategory]
        placements.append(
            Placement(
                inventory_id=InventoryId.of(product.product_id, zone.zone_id),
                product_id=product.product_id,
                warehouse_id=code,
                zone_id=zone.zone_id,
                quantity=rng.randint(low, high),
            )
        )
    return tuple(placements)
