"""The Query API's metrics: cache hits and misses, and read-model gauges equal to its answers."""

from __future__ import annotations

from typing import Any

import psycopg
import redis
from prometheus_client import REGISTRY
from prometheus_client.core import Metric

from query_gateway.metrics import ReadModelGauges
from tests.e2e.query_gateway.server import GatewayServer

ZONES = "{ zoneSummaries { zoneId utilisation onHand } }"
CATEGORIES = "{ categorySummaries { category storageCondition onHand } }"


def lookups(result: str) -> float:
    labels = {"cache": "product", "result": result}
    return REGISTRY.get_sample_value("zaiko_cache_requests_total", labels) or 0.0


def samples(metrics: list[Metric], name: str) -> dict[tuple[str, ...], float]:
    (family,) = [m for m in metrics if m.name == name]
    return {tuple(s.labels.values()): s.value for s in family.samples}


def test_a_cold_product_lookup_is_a_miss_and_the_next_one_a_hit(gateway: GatewayServer) -> None:
    settings = gateway.app.state.gateway.settings
    redis.Redis.from_url(settings.effective_redis_url).flushdb()
    hits, misses = lookups("hit"), lookups("miss")

    assert gateway.data('{ product(id: "PRD-000003") { name } }')["product"]["name"]
    assert (lookups("hit") - hits, lookups("miss") - misses) == (0, 1)
    assert gateway.data('{ product(id: "PRD-000003") { name } }')["product"]["name"]
    assert (lookups("hit") - hits, lookups("miss") - misses) == (1, 1)


def test_zone_utilisation_gauges_equal_what_the_query_api_answers(
    gateway: GatewayServer, database_url: str
) -> None:
    metrics = list(ReadModelGauges(database_url).collect())
    gauges = samples(metrics, "zaiko_zone_utilization_ratio")
    answered: list[dict[str, Any]] = gateway.data(ZONES)["zoneSummaries"]
    expected = {tuple(z["zoneId"].split("-")): z["utilisation"] for z in answered
                if z["utilisation"] is not None}  # fmt: skip
    assert gauges == expected
    assert any(v > 0 for v in gauges.values())


def test_stock_units_by_category_and_condition_equal_what_the_query_api_answers(
    gateway: GatewayServer, database_url: str
) -> None:
    units = samples(list(ReadModelGauges(database_url).collect()), "zaiko_stock_units")
    answered = gateway.data(CATEGORIES)["categorySummaries"]
    assert units == {(c["category"], c["storageCondition"]): float(c["onHand"]) for c in answered}
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT sum(現在庫数) FROM 在庫").fetchone()
    assert row is not None and sum(units.values()) == row[0] > 0
    food = sum(v for (category, _), v in units.items() if category == "食品類")
    assert 0 < food < row[0]  # the data set holds both 食品類 and 日用品


def test_the_gauges_read_postgres_at_most_once_per_max_age(database_url: str) -> None:
    now = [100.0]
    gauges = ReadModelGauges(database_url, max_age_s=10.0, clock=lambda: now[0])
    for _ in range(3):
        list(gauges.collect())
    now[0] += 9.9
    list(gauges.collect())
    assert gauges.reads == 1
    now[0] += 0.1
    list(gauges.collect())
    assert gauges.reads == 2


def test_without_postgres_the_gauges_are_absent_not_stale_or_zero() -> None:
    gauges = ReadModelGauges("postgresql://zaiko@127.0.0.1:1/none")
    metrics = list(gauges.collect())
    assert samples(metrics, "zaiko_zone_utilization_ratio") == {}
    assert samples(metrics, "zaiko_stock_units") == {}


def requests(operation: str, outcome: str) -> float:
    labels = {"api": "query", "operation": operation, "outcome": outcome}
    return REGISTRY.get_sample_value("zaiko_graphql_requests_total", labels) or 0.0


def test_query_api_requests_are_counted_by_their_fields_and_outcome(
    gateway: GatewayServer,
) -> None:
    before = {(op, o): requests(op, o) for op in ("warehouses", "invalid") for o in ("ok", "error")}

    assert gateway.query("query Named { warehouses { code } }")[0] == 200
    assert "errors" in gateway.query("{ warehouses { noSuchField } }")[1]  # fails validation
    assert "errors" in gateway.query("{ warehouses { code }")[1]  # does not parse
    assert "errors" in gateway.query("{ madeUp }")[1]

    moved = {key: requests(*key) - count for key, count in before.items()}
    assert moved == {("warehouses", "ok"): 1, ("warehouses", "error"): 1,
                     ("invalid", "ok"): 0, ("invalid", "error"): 2}  # fmt: skip
