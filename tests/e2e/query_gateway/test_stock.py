"""Inventories, 受払履歴, summaries, the low-stock list and alert state over HTTP."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from tests.e2e.query_gateway.conftest import PRODUCTS
from tests.e2e.query_gateway.dataset import ZONE_OF, Product
from tests.e2e.query_gateway.server import GatewayServer

INVENTORIES = """query($product: String, $warehouse: String, $zone: String, $after: String) {
  inventories(first: 25, after: $after, productId: $product, warehouseCode: $warehouse,
              zoneId: $zone) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id productId zoneId onHand reserved available product { id } } } } }"""
MOVEMENTS = """query($product: String, $zone: String, $since: DateTime, $until: DateTime,
                    $kind: MovementKind, $after: String, $first: Int) {
  stockMovements(first: $first, after: $after, productId: $product, zoneId: $zone,
                 since: $since, until: $until, kind: $kind) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id occurredAt inventoryId kind quantity stockAfter operator note zoneId
                   product { id } zone { id } } } } }"""


def every(
    gateway: GatewayServer, query: str, field: str, **variables: Any
) -> tuple[int, list[Any]]:
    """Follow the pages of ``field``; return its totalCount and every node."""
    nodes: list[Any] = []
    after = None
    while True:
        page = gateway.data(query, after=after, **variables)[field]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return page["totalCount"], nodes
        after = page["pageInfo"]["endCursor"]


def zone_of(p: Product, code: str) -> str:
    return f"{code}-{ZONE_OF[p.condition]}"


def test_inventories_by_product_warehouse_and_zone(
    gateway: GatewayServer, plan: list[Product]
) -> None:
    total, nodes = every(gateway, INVENTORIES, "inventories", product="PRD-000005")
    assert total == 2 and [n["id"] for n in nodes] == ["PRD-000005@OSK-01", "PRD-000005@TKY-01"]
    total, nodes = every(gateway, INVENTORIES, "inventories", warehouse="OSK")
    assert total == len(nodes) == PRODUCTS
    assert {n["id"] for n in nodes} == {f"{p.id}@{zone_of(p, 'OSK')}" for p in plan}
    total, nodes = every(gateway, INVENTORIES, "inventories", zone="TKY-02")
    chilled = [p for p in plan if ZONE_OF[p.condition] == "02"]
    assert total == len(chilled) and [n["productId"] for n in nodes] == [p.id for p in chilled]
    for node, p in zip(nodes, chilled, strict=True):
        on_hand = p.stock["TKY"]
        assert (node["onHand"], node["reserved"], node["available"]) == (
            on_hand,
            p.reserved,
            on_hand - p.reserved,
        )
        assert node["product"] == {"id": p.id}


def test_an_inventory_by_id(gateway: GatewayServer) -> None:
    data = gateway.data('{ inventory(id: "PRD-000002@TKY-03") { onHand zone { zoneType } } }')
    assert data == {"inventory": {"onHand": 102, "zone": {"zoneType": "FROZEN"}}}


def test_movements_by_product_are_newest_first(gateway: GatewayServer) -> None:
    total, nodes = every(gateway, MOVEMENTS, "stockMovements", product="PRD-000001", first=1)
    assert total == 2
    assert [n["inventoryId"] for n in nodes] == ["PRD-000001@OSK-02", "PRD-000001@TKY-02"]
    assert nodes[0]["occurredAt"] > nodes[1]["occurredAt"]
    assert nodes[1] | {"id": None, "occurredAt": None} == {
        "id": None,
        "occurredAt": None,
        "inventoryId": "PRD-000001@TKY-02",
        "kind": "RECEIPT",
        "quantity": 101,
        "stockAfter": 101,
        "operator": "山田",
        "note": "入荷",
        "zoneId": "TKY-02",
        "product": {"id": "PRD-000001"},
        "zone": {"id": "TKY-02"},
    }


def test_movements_by_zone_and_time_range_page_without_gaps(
    gateway: GatewayServer, plan: list[Product]
) -> None:
    total, nodes = every(gateway, MOVEMENTS, "stockMovements", zone="TKY-01", first=4)
    ambient = [p for p in plan if ZONE_OF[p.condition] == "01"]
    assert total == len(nodes) == len(ambient) and len({n["id"] for n in nodes}) == total
    times = [n["occurredAt"] for n in nodes]
    assert times == sorted(times, reverse=True)
    since, until = times[-3], times[1]  # inclusive, exclusive: entries 2 .. n-3 of the list
    total, window = every(
        gateway, MOVEMENTS, "stockMovements", zone="TKY-01", first=3, since=since, until=until
    )
    assert [n["id"] for n in window] == [n["id"] for n in nodes[2:-2]] and total == len(window)
    receipts, _ = every(gateway, MOVEMENTS, "stockMovements", kind="RECEIPT", first=100)
    adjustments, _ = every(gateway, MOVEMENTS, "stockMovements", kind="ADJUSTMENT", first=100)
    assert (receipts, adjustments) == (2 * PRODUCTS, 0)


def test_summaries_add_up_the_plan(gateway: GatewayServer, plan: list[Product]) -> None:
    data = gateway.data("""{
      categorySummaries { category storageCondition products onHand reserved }
      warehouseSummaries { warehouseCode onHand reserved available inventoryRows
                           warehouse { name } }
      zoneSummaries(warehouseCode: "TKY") { zoneId onHand capacity utilisation zone { name } } }""")
    by_bucket: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in plan:
        bucket = by_bucket[(p.category.value, p.condition.value)]
        bucket[0] += 1
        bucket[1] += sum(p.stock.values())
        bucket[2] += p.reserved
    assert {
        (s["category"], s["storageCondition"]): [s["products"], s["onHand"], s["reserved"]]
        for s in data["categorySummaries"]
    } == dict(by_bucket)
    tokyo = next(s for s in data["warehouseSummaries"] if s["warehouseCode"] == "TKY")
    on_hand, reserved = sum(p.stock["TKY"] for p in plan), sum(p.reserved for p in plan)
    assert tokyo == {
        "warehouseCode": "TKY",
        "onHand": on_hand,
        "reserved": reserved,
        "available": on_hand - reserved,
        "inventoryRows": PRODUCTS,
        "warehouse": {"name": "東京倉庫"},
    }
    per_zone = Counter[str]()
    for p in plan:
        per_zone[zone_of(p, "TKY")] += p.stock["TKY"]
    assert {z["zoneId"]: (z["onHand"], z["utilisation"]) for z in data["zoneSummaries"]} == {
        zone: (units, round(units / 10_000, 4)) for zone, units in per_zone.items()
    }
    assert data["zoneSummaries"][0]["zone"] == {"name": "東京常温区画"}


def test_low_stock_uses_zone_thresholds_else_the_default(
    gateway: GatewayServer, plan: list[Product]
) -> None:
    query = """query($after: String, $zone: String) {
      lowStock(first: 7, after: $after, zoneId: $zone) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id available threshold shortfall product { id } zone { id } } } } }"""
    expected = {}
    for p in plan:
        tokyo, osaka = zone_of(p, "TKY"), zone_of(p, "OSK")
        if p.stock["TKY"] - p.reserved < 10:
            expected[f"{p.id}@{tokyo}"] = (p.stock["TKY"] - p.reserved, 10)
        limit = 100 if osaka == "OSK-02" else 10  # 区画別在庫閾値 OSK-02 = 100
        if p.stock["OSK"] < limit:
            expected[f"{p.id}@{osaka}"] = (p.stock["OSK"], limit)
    total, nodes = every(gateway, query, "lowStock")
    assert total == len(expected) and len(expected) > 10
    assert {n["id"]: (n["available"], n["threshold"]) for n in nodes} == expected
    assert all(n["shortfall"] == n["threshold"] - n["available"] for n in nodes)
    assert all(n["zone"]["id"] == n["id"].split("@")[1] for n in nodes)
    only_osaka_chilled, _ = every(gateway, query, "lowStock", zone="OSK-02")
    assert only_osaka_chilled == sum(1 for key in expected if key.endswith("OSK-02"))


def test_recent_alerts_come_from_the_alert_state(gateway: GatewayServer) -> None:
    data = gateway.data("""{ lowStockAlerts(first: 10) { inventoryId alertId armed firedThreshold
      lastAvailable inventory { id onHand } } }""")
    assert data["lowStockAlerts"] == [
        {
            "inventoryId": "PRD-000014@TKY-03",
            "alertId": "PRD-000014@TKY-03:3",
            "armed": False,
            "firedThreshold": 10,
            "lastAvailable": 3,
            "inventory": {"id": "PRD-000014@TKY-03", "onHand": 5},
        },
        {
            "inventoryId": "PRD-000007@TKY-02",
            "alertId": "PRD-000007@TKY-02:2",
            "armed": False,
            "firedThreshold": 10,
            "lastAvailable": 5,
            "inventory": {"id": "PRD-000007@TKY-02", "onHand": 5},
        },
    ]
