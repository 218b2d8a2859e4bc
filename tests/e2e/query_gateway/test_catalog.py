"""Products, warehouses, zones, customers and companies over HTTP, filters and pagination."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.query_gateway.conftest import CUSTOMERS, PRODUCTS
from tests.e2e.query_gateway.dataset import Product
from tests.e2e.query_gateway.server import GatewayServer

PAGE = """query($first: Int, $after: String, $category: Category, $storage: StorageCondition,
  $status: ProductStatus, $search: String, $sort: ProductSortField, $dir: SortDirection) {
  products(first: $first, after: $after, category: $category, storageCondition: $storage,
           status: $status, search: $search, sortBy: $sort, direction: $dir) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name sku category storageCondition status } } } }"""


def walk(gateway: GatewayServer, first: int, **filters: Any) -> tuple[int, list[dict[str, Any]]]:
    """Follow endCursor to the last page; return totalCount and every node in order."""
    nodes: list[dict[str, Any]] = []
    after, totals = None, set()
    while True:
        page = gateway.data(PAGE, first=first, after=after, **filters)["products"]
        totals.add(page["totalCount"])
        nodes += [edge["node"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            return totals.pop() if len(totals) == 1 else -1, nodes
        after = page["pageInfo"]["endCursor"]


def test_paging_through_products_visits_each_exactly_once(gateway: GatewayServer) -> None:
    total, nodes = walk(gateway, 7)
    assert total == PRODUCTS
    assert [n["id"] for n in nodes] == [f"PRD-{i:06d}" for i in range(1, PRODUCTS + 1)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "DAILY_GOODS"}, lambda p: p.category == "日用品"),
        ({"storage": "FROZEN"}, lambda p: p.condition == "冷凍"),
        (
            {"category": "FOOD", "storage": "CHILLED"},
            lambda p: p.category == "食品類" and p.condition == "冷蔵",
        ),
        ({"status": "DISCONTINUED"}, lambda p: p.discontinued),
        (
            {"status": "ACTIVE", "storage": "AMBIENT"},
            lambda p: not p.discontinued and p.condition == "常温",
        ),
    ],
)
def test_product_filters_select_exactly_the_matching_products(
    gateway: GatewayServer, plan: list[Product], filters: dict[str, str], expected: Any
) -> None:
    total, nodes = walk(gateway, 10, **filters)
    wanted = [p.id for p in plan if expected(p)]
    assert wanted and total == len(wanted)
    assert [n["id"] for n in nodes] == wanted


def test_search_matches_name_or_sku_case_insensitively(gateway: GatewayServer) -> None:
    assert [n["sku"] for n in walk(gateway, 50, search="sku-001")[1]] == [
        f"SKU-{i:04d}" for i in range(10, 20)
    ]
    assert [n["id"] for n in walk(gateway, 50, search="商品042")[1]] == ["PRD-000042"]
    assert walk(gateway, 50, search="%")[0] == 0  # wildcards are literal


def test_sorting_by_sku_descending_pages_in_that_order(gateway: GatewayServer) -> None:
    total, nodes = walk(gateway, 9, sort="SKU", dir="DESC")
    assert total == PRODUCTS
    assert [n["sku"] for n in nodes] == sorted((n["sku"] for n in nodes), reverse=True)


def test_a_product_by_id_or_sku_reaches_its_stock_zones_and_warehouses(
    gateway: GatewayServer,
) -> None:
    query = """query($id: ID, $sku: String) { product(id: $id, sku: $sku) { id sku stock { onHand }
      inventories { id onHand reserved available zone { id zoneType warehouse { code name } }
                    product { id } } } }"""
    by_id = gateway.data(query, id="PRD-000003")["product"]
    assert by_id == gateway.data(query, sku="SKU-0003")["product"]
    assert [i["id"] for i in by_id["inventories"]] == ["PRD-000003@OSK-01", "PRD-000003@TKY-01"]
    tokyo = by_id["inventories"][1]
    assert (tokyo["onHand"], tokyo["reserved"], tokyo["available"]) == (103, 3, 100)
    assert tokyo["zone"] == {
        "id": "TKY-01",
        "zoneType": "AMBIENT",
        "warehouse": {"code": "TKY", "name": "東京倉庫"},
    }
    assert tokyo["product"] == {"id": "PRD-000003"}
    assert by_id["stock"] == {"onHand": 103 + 43}


def test_unknown_ids_are_not_found_and_bad_arguments_are_validation_errors(
    gateway: GatewayServer,
) -> None:
    status, body = gateway.query('{ product(id: "PRD-999999") { id } }')
    assert status == 200 and body["data"] == {"product": None}
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "id": "PRD-999999"}
    _, body = gateway.query('{ product(id: "PRD-000001", sku: "SKU-0001") { id } }')
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    _, body = gateway.query('{ zone(id: "TOKYO") { id } }')
    assert body["errors"][0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "zoneId"}
    _, body = gateway.query('{ products(after: "bogus") { totalCount } }')
    assert body["errors"][0]["extensions"] == {"code": "VALIDATION_ERROR", "field": "after"}


def test_warehouses_list_their_zones_and_zones_their_warehouse(gateway: GatewayServer) -> None:
    data = gateway.data("""{
      warehouses { code name active zones { id zoneType warehouse { code } } }
      zones(warehouseCode: "OSK", zoneType: CHILLED) { id name capacity usage { capacity } }
      zone(id: "FUK-03") { id zoneType inventories(first: 2) { id zoneId } } }""")
    assert [w["code"] for w in data["warehouses"]] == ["FUK", "OSK", "TKY"]
    tokyo = data["warehouses"][2]
    assert [z["id"] for z in tokyo["zones"]] == ["TKY-01", "TKY-02", "TKY-03"]
    assert {z["warehouse"]["code"] for z in tokyo["zones"]} == {"TKY"}
    assert data["zones"] == [
        {"id": "OSK-02", "name": "大阪冷蔵区画", "capacity": 10_000, "usage": {"capacity": 10_000}}
    ]
    assert data["zone"] == {"id": "FUK-03", "zoneType": "FROZEN", "inventories": []}
    frozen = gateway.data('{ zone(id: "TKY-03") { inventories(first: 2) { id zoneId } } }')
    assert [i["zoneId"] for i in frozen["zone"]["inventories"]] == ["TKY-03", "TKY-03"]


CUSTOMERS_PAGE = """query($type: CustomerType, $after: String, $company: String) {
  customers(first: 2, after: $after, customerType: $type, companyId: $company) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id customerType status company { id kind } } } } }"""


def test_customers_filter_by_type_and_reach_their_company(gateway: GatewayServer) -> None:
    # customer i has type CUSTOMER_TYPES[i % 4] (i % 4 == 0: スーパー) and company CMP-(i%3+2)
    seen, after = [], None
    while True:
        page = gateway.data(CUSTOMERS_PAGE, type="SUPERMARKET", after=after)["customers"]
        assert page["totalCount"] == CUSTOMERS // 4
        seen += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [c["id"] for c in seen] == ["CUS-0004", "CUS-0008", "CUS-0012"]
    assert {c["customerType"] for c in seen} == {"SUPERMARKET"}
    assert [c["company"]["id"] for c in seen] == ["CMP-0003", "CMP-0004", "CMP-0002"]
    by_company = gateway.data(CUSTOMERS_PAGE, company="CMP-0002")["customers"]
    assert by_company["totalCount"] == 4  # i = 3, 6, 9, 12


def test_companies_filter_by_kind_and_list_their_customers(gateway: GatewayServer) -> None:
    query = """query($kind: CompanyKind) { companies(kind: $kind, first: 10) { totalCount
      edges { node { id name kind capital customers(first: 2) { id company { id } } } } } }"""
    own = gateway.data(query, kind="OWN")["companies"]
    assert own["totalCount"] == 1
    assert own["edges"][0]["node"] == {
        "id": "CMP-0001",
        "name": "株式会社D商事",
        "kind": "OWN",
        "capital": 10_000_000_000,
        "customers": [],
    }
    partners = gateway.data(query, kind="BUSINESS_PARTNER")["companies"]
    assert [e["node"]["id"] for e in partners["edges"]] == ["CMP-0002", "CMP-0003", "CMP-0004"]
    first_two = partners["edges"][0]["node"]["customers"]
    assert first_two == [
        {"id": "CUS-0003", "company": {"id": "CMP-0002"}},
        {"id": "CUS-0006", "company": {"id": "CMP-0002"}},
    ]
    one = gateway.data('{ company(id: "CMP-0004") { name } customer(id: "CUS-0001") { name } }')
    assert one == {"company": {"name": "レストラン中央"}, "customer": {"name": "取引先1"}}
