"""Per-module fixtures: a private read-model database with the data set, a running gateway."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from connectors.settings import ZaikoSettings
from query_gateway.settings import QueryGatewaySettings
from tests.e2e.query_gateway.dataset import Product, fill, private_database, product_plan
from tests.e2e.query_gateway.server import GatewayServer

PRODUCTS = 60
CUSTOMERS = 12
_redis_dbs = itertools.count(1)  # a Redis database per module: caches never mix


@pytest.fixture(scope="module")
def plan() -> list[Product]:
    return product_plan(PRODUCTS)


@pytest.fixture(scope="module")
def database_url(settings: ZaikoSettings, plan: list[Product]) -> Iterator[str]:
    with private_database(settings.effective_database_url) as url:
        fill(url, plan, CUSTOMERS)
        yield url


def gateway_settings(
    settings: ZaikoSettings, database_url: str, **extra: object
) -> QueryGatewaySettings:
    """Return settings for a gateway on the private database and its own Redis db."""
    redis = settings.effective_redis_url.rsplit("/", 1)[0] + f"/{next(_redis_dbs) % 16}"
    # the operations page's feed reads the test stack's broker, never the demo's 9092
    chosen: dict[str, object] = {"api_keys": None,
                                 "kafka_bootstrap_servers": settings.kafka_bootstrap_servers,
                                 **extra}  # fmt: skip
    return QueryGatewaySettings(database_url=database_url, redis_url=redis, **chosen)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def gateway(settings: ZaikoSettings, database_url: str) -> Iterator[GatewayServer]:
    server = GatewayServer(gateway_settings(settings, database_url)).start()
    try:
        yield server
    finally:
        server.stop()
