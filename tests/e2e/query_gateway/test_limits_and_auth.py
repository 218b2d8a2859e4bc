"""Limits, typed errors, API-key roles, health and GraphiQL over HTTP."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from connectors.settings import ZaikoSettings
from tests.e2e.query_gateway.conftest import gateway_settings
from tests.e2e.query_gateway.server import GatewayServer, free_port

DEEP = """{ products(first: 1) { edges { node { inventories { zone { warehouse { zones {
  inventories(first: 1) { product { inventories { zone { id } } } } } } } } } } } }"""
COSTLY = """{ products(first: 100) { edges { node { inventories { zone { warehouse { zones {
  inventories(first: 100) { id } } } } } } } } }"""


def code_of(body: dict[str, object]) -> str:
    errors = body["errors"]
    assert isinstance(errors, list)
    return str(errors[0]["extensions"]["code"])


def test_too_deep_and_too_complex_queries_are_refused_before_running(
    gateway: GatewayServer,
) -> None:
    before = gateway.statements
    for query, detail in ((DEEP, "depth 12 exceeds 10"), (COSTLY, "complexity")):
        status, body = gateway.query(query)
        assert (status, code_of(body)) == (400, "QUERY_TOO_COMPLEX")
        assert detail in body["errors"][0]["message"] and "data" not in body
    assert gateway.statements == before  # nothing ran


def test_the_page_size_is_capped(gateway: GatewayServer) -> None:
    status, body = gateway.query("{ products(first: 101) { totalCount } }")
    assert status == 200 and body["data"] == {"products": None}
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "field": "first",
        "maxPageSize": 100,
    }


def test_an_oversized_request_is_refused(gateway: GatewayServer) -> None:
    padding = "#" + "x" * 70_000 + "\n"
    status, body = gateway.post(json.dumps({"query": padding + "{ warehouses { code } }"}).encode())
    assert (status, code_of(body)) == (413, "REQUEST_TOO_LARGE")


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"variables": {}}',
        b'{"query": 3}',
        b'{"query": "{ warehouses { code } }", "variables": [1]}',
    ],
)
def test_malformed_requests_are_validation_errors(gateway: GatewayServer, body: bytes) -> None:
    status, answer = gateway.post(body)
    assert (status, code_of(answer)) == (400, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    "query",
    [
        "{ products { edges { node { nope } } } }",
        "{ warehouses",
        'mutation { receiveStock(id: "x") { id } }',
        "query($n: Int!) { products(first: $n) { totalCount } }",
    ],
)
def test_invalid_documents_are_validation_errors_without_internals(
    gateway: GatewayServer, query: str
) -> None:
    status, body = gateway.query(query)
    assert status == 200 and code_of(body) == "VALIDATION_ERROR"
    assert "Traceback" not in json.dumps(body) and body.get("data") is None


def test_graphiql_is_served_on_get_and_health_reports_both_stores(gateway: GatewayServer) -> None:
    status, page = gateway.get("/api/graphql")
    assert status == 200 and "GraphiQL" in page
    status, health = gateway.get("/api/health")
    assert status == 200
    assert json.loads(health) == {
        "healthy": True,
        "components": {"postgres": {"healthy": True}, "redis": {"healthy": True}},
    }


def test_without_redis_health_says_so_and_queries_still_answer(
    settings: ZaikoSettings, database_url: str
) -> None:
    broken = gateway_settings(settings, database_url).model_copy(
        update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"}
    )
    server = GatewayServer(broken).start()
    try:
        status, health = server.get("/api/health")
        report = json.loads(health)
        assert status == 503 and report["components"]["redis"]["healthy"] is False
        assert report["components"]["postgres"] == {"healthy": True}
        data = server.data('{ product(id: "PRD-000004") { name inventories { zone { name } } } }')
        assert data["product"]["name"] == "テスト商品004"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def guarded(settings: ZaikoSettings, database_url: str) -> Iterator[GatewayServer]:
    keys = "r-key:reader,o-key:operator,c-key:channel"
    server = GatewayServer(gateway_settings(settings, database_url, api_keys=keys)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [
        (None, 401, "UNAUTHENTICATED"),
        ("wrong", 401, "UNAUTHENTICATED"),
        ("c-key", 403, "FORBIDDEN"),
        ("r-key", 200, None),
        ("o-key", 200, None),
    ],
)
def test_api_key_roles_decide_who_may_query(
    guarded: GatewayServer, key: str | None, status: int, code: str | None
) -> None:
    headers = {"X-API-Key": key} if key else {}
    got, body = guarded.query("{ warehouses { code } }", headers=headers)
    assert got == status
    if code is None:
        assert [w["code"] for w in body["data"]["warehouses"]] == ["FUK", "OSK", "TKY"]
    else:
        assert code_of(body) == code and "data" not in body


def test_an_open_gateway_warns_at_start_up(
    settings: ZaikoSettings, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="query_gateway.app"):
        GatewayServer(gateway_settings(settings, database_url)).start().stop()
    assert any("OPEN" in r.getMessage() for r in caplog.records)
