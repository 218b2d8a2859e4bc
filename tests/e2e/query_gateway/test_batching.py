"""A page costs a constant number of SQL statements, whatever its size (no N+1)."""

from __future__ import annotations

import redis

from tests.e2e.query_gateway.server import GatewayServer

NESTED = """query($n: Int) { products(first: $n) { edges { node { id name stock { onHand }
  inventories { id onHand zone { id name usage { utilisation } warehouse { code name
    zones { id } } } warehouse { code } } } } } }"""
# Zone.inventories takes an argument, so it is not prefetched: it goes through the loaders.
THROUGH_LOADERS = """query($n: Int) { inventories(first: $n) { edges { node { id
  zone { inventories(first: 3) { id product { name } zone { warehouse { name } } } } } } } }"""
CUSTOMERS = """query($n: Int) { customers(first: $n) { edges { node { id company { name
  customers(first: 2) { id company { id } } } } } } }"""


def statements(gateway: GatewayServer, query: str, n: int) -> int:
    before = gateway.statements
    data = gateway.data(query, n=n)
    assert data, data
    return gateway.statements - before


def flush_cache(gateway: GatewayServer) -> None:
    redis.Redis.from_url(gateway.app.state.gateway.settings.effective_redis_url).flushdb()


def test_a_nested_product_page_costs_the_same_statements_for_5_and_50(
    gateway: GatewayServer,
) -> None:
    flush_cache(gateway)
    cold_5 = statements(gateway, NESTED, 5)
    flush_cache(gateway)
    cold_50 = statements(gateway, NESTED, 50)
    warm_5, warm_50 = statements(gateway, NESTED, 5), statements(gateway, NESTED, 50)
    # page, inventories, product totals, zones, zone usage, warehouses, zones of warehouses
    assert cold_5 == cold_50 == 7
    # zones and warehouses now come from the Redis cache
    assert warm_5 == warm_50 == 5


def test_relations_resolved_through_the_loaders_are_batched_too(gateway: GatewayServer) -> None:
    flush_cache(gateway)
    statements(gateway, THROUGH_LOADERS, 50)  # fill the cache
    few, many = statements(gateway, THROUGH_LOADERS, 5), statements(gateway, THROUGH_LOADERS, 50)
    assert few == many == 2  # page, inventories of zones (products, zones, warehouses cached)
    assert statements(gateway, CUSTOMERS, 2) == statements(gateway, CUSTOMERS, 12) == 3
