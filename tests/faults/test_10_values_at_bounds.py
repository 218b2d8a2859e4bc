"""Values at and beyond every bound, from a partner on Kafka: whatever is accepted is projected
faithfully, whatever cannot be is refused at the door, and nothing stalls the read model.

The bounds probed are the read model's column types (integer, numeric(10,2), numeric(5,1),
varchar(16/32), char(3)) and the id formats, since a value the domain accepts beyond them
is exactly what poisons the projection (issue #12, observation 2).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import psycopg
import pytest

from connectors.postgres.conninfo import with_timeouts
from domain import (
    AdjustStock,
    CreateInventory,
    CreateProduct,
    CreateWarehouse,
    CreateZone,
    IssueStock,
    ReceiveStock,
    ReserveStock,
)
from domain.enums import AdjustmentReason, Category, StorageCondition, ZoneType
from tests.faults.harness.raw import raw
from tests.faults.harness.scenario import Scenario
from tests.unit.codes import unique_warehouse

pytestmark = pytest.mark.integration
INT32 = 2**31 - 1


def _defaults(cls: type, **given: Any) -> Any:
    values = {f.name: None for f in fields(cls)}
    return raw(cls, **{**values, **given})


def _product(product_id: str, **more: Any) -> Any:
    given = {"product_id": product_id, "name": "境界値商品", "sku": "SKU-B",
             "category": Category.FOOD, "storage_condition": StorageCondition.AMBIENT,
             "unit": "個", "description": ""}  # fmt: skip
    return _defaults(CreateProduct, **{**given, **more})


def _warehouse(code: str, area: float, capacity: int) -> Any:
    return raw(CreateWarehouse, warehouse_id=code, name="境界値倉庫", location="東京都",
               floor_area_m2=area, capacity=capacity)  # fmt: skip


def _zone(zone_id: str, capacity: int, low: float | None = None, high: float | None = None) -> Any:
    return raw(CreateZone, zone_id=zone_id, name="常温", zone_type=ZoneType.AMBIENT,
               capacity=capacity, min_temperature_c=low, max_temperature_c=high)  # fmt: skip


def test_values_at_every_bound_are_projected_or_refused_never_stuck(scenario: Scenario) -> None:
    world = scenario.world(products=5)
    inv = world.inventories
    a, b, c = unique_warehouse(), unique_warehouse(), unique_warehouse()
    products = ["PRD-" + "9" * 12, "PRD-" + "9" * 13, "PRD-１２３４５６", "PRD-" + "8" * 6]
    cases = {
        "quantity int32 max": raw(ReceiveStock, inventory_id=inv[0], quantity=INT32,
                                  operator=None, note=None),
        "quantity int32 max + 1": raw(ReceiveStock, inventory_id=inv[1], quantity=INT32 + 1,
                                      operator=None, note=None),
        "quantity long max": raw(ReceiveStock, inventory_id=inv[2], quantity=2**63 - 1,
                                 operator=None, note=None),
        "issue beyond int32": _defaults(IssueStock, inventory_id=inv[3], quantity=2**31),
        "reserve beyond int32": _defaults(ReserveStock, inventory_id=inv[4], reservation_id="R-B",
                                          quantity=2**31),
        "adjust by -int32": _defaults(AdjustStock, inventory_id=inv[5], delta=-(2**31),
                                      reason=AdjustmentReason.OTHER),
        "adjust up to int32": _defaults(AdjustStock, inventory_id=inv[6], delta=INT32 - 500,
                                        reason=AdjustmentReason.OTHER),
        "product id of 16 chars": _product(products[0]),
        "product id of 17 chars": _product(products[1]),
        "product id with non-ASCII digits": _product(products[2]),
        "SKU of 33 chars": _product(products[3], sku="SKU-" + "9" * 29),
        "reference price int32 + 1": _product("PRD-" + "7" * 6, reference_price=2**31),
        "floor area 99,999,999.99, capacity int32": _warehouse(a, 99_999_999.99, INT32),
        "floor area 1e8, capacity int32 + 1": _warehouse(b, 100_000_000.0, 2**31),
        "floor area 1e300": _warehouse(c, 1e300, 1),
        "zone capacity int32 + 1": _zone(f"{a}-02", 2**31),
        "zone temperatures ±9999.9": _zone(f"{a}-03", 1, -9999.9, 9999.9),
        "zone temperatures ±10000": _zone(f"{a}-04", 1, -10000.0, 10000.0),
        "zone number in non-ASCII digits": _zone(f"{a}-１２", 1),
        "inventory id beyond 32 chars": raw(CreateInventory, inventory_id="PRD-" + "9" * 30
                                            + f"@{world.zones[0]}"),
    }  # fmt: skip
    ids = scenario.flood.send(list(cases.values()))
    answers = dict(zip(cases, ids, strict=True))
    scenario.extra_aggregates += [
        *products,
        "PRD-" + "7" * 6,
        a,
        b,
        c,
        f"{a}-02",
        f"{a}-03",
        f"{a}-04",
        f"{a}-１２",
        "PRD-" + "9" * 30 + f"@{world.zones[0]}",
    ]
    counts = scenario.verify()
    table = []
    for case, command_id in answers.items():
        first = scenario.outcomes.first(command_id)
        status = (
            "no outcome"
            if first is None
            else f"{first.outcome.status} {first.outcome.error_code or ''}"
        )
        table.append(f"{case}: {status.strip()}")
    faithful = _warehouses_faithful(scenario.url, {a: (99_999_999.99, INT32), b: (1e8, 2**31)},
                                    {case: scenario.outcomes.first(answers[case]) for case in
                                     ("floor area 99,999,999.99, capacity int32",
                                      "floor area 1e8, capacity int32 + 1")})  # fmt: skip
    counts.notes.append("; ".join(table) + f"; warehouse rows: {faithful}")
    print("\n".join(table))
    assert not faithful, faithful
    scenario.assert_consistent()


def _warehouses_faithful(
    url: str, sent: dict[str, tuple[float, int]], outcomes: dict[str, Any]
) -> list[str]:
    """Return accepted warehouses whose 倉庫 row does not hold exactly what was sent."""
    wrong = []
    with psycopg.connect(with_timeouts(url), autocommit=True) as conn:
        for (code, (area, capacity)), seen in zip(sent.items(), outcomes.values(), strict=True):
            if seen is None or seen.outcome.status != "ACCEPTED":
                continue
            row = conn.execute("SELECT 延べ床面積, 容量 FROM 倉庫 WHERE 倉庫コード = %s",
                               (code,)).fetchone()  # fmt: skip
            if row is None or float(row[0]) != area or int(row[1]) != capacity:
                wrong.append(f"{code}: sent {(area, capacity)}, 倉庫 {row}")
    return wrong
