"""PostgreSQL paused or down: typed UNAVAILABLE within the bound, never a hung request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from connectors.settings import ZaikoSettings
from tests.e2e.query_gateway.conftest import gateway_settings
from tests.e2e.query_gateway.server import GatewayServer, free_port
from tests.e2e.tcp_proxy import PausableProxy

LIST = "{ warehouses { code } }"  # always a statement (no cache on lists)
TOKEN = '{ warehouses(consistencyToken: "TKY:1") { code } }'
BOUND_S = 1.0


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def timed(server: GatewayServer, query: str) -> tuple[float, dict[str, Any]]:
    started = time.monotonic()
    _, body = server.query(query)
    return time.monotonic() - started, body


@pytest.fixture
def proxy(database_url: str) -> Iterator[PausableProxy]:
    params = conninfo_to_dict(database_url)
    proxy = PausableProxy((str(params.get("host") or "127.0.0.1"), int(params["port"])))
    try:
        yield proxy
    finally:
        proxy.close()


def _server(settings: ZaikoSettings, url: str) -> GatewayServer:
    extra = {"db_timeout_s": BOUND_S, "cache_ttl_s": 0, "read_your_writes_timeout_s": 10.0}
    return GatewayServer(gateway_settings(settings, url, **extra)).start()


def test_a_paused_database_is_unavailable_within_the_bound_and_then_recovers(
    settings: ZaikoSettings, database_url: str, proxy: PausableProxy
) -> None:
    server = _server(settings, make_conninfo(database_url, port=proxy.port))
    try:
        assert server.data(TOKEN) == server.data(LIST)  # connected: pool and poller
        proxy.pause()
        for query in (LIST, TOKEN):
            seconds, body = timed(server, query)
            assert codes(body) == ["UNAVAILABLE"], body
            assert seconds < BOUND_S + 2.0, f"{query}: {seconds:.1f} s"
            print(f"paused: {query} -> UNAVAILABLE in {seconds * 1000:.0f} ms")
        proxy.resume()
        deadline = time.monotonic() + 20
        while codes(server.query(LIST)[1]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.data(LIST)["warehouses"] and server.data(TOKEN)["warehouses"]
    finally:
        server.stop()


def test_a_database_that_is_down_is_unavailable_within_the_bound(
    settings: ZaikoSettings, database_url: str
) -> None:
    server = _server(settings, make_conninfo(database_url, port=free_port()))
    try:
        for query in (LIST, TOKEN):
            seconds, body = timed(server, query)
            assert codes(body) == ["UNAVAILABLE"], body
            assert seconds < BOUND_S + 2.0, f"{query}: {seconds:.1f} s"
        status, _ = server.get("/api/health")
        assert status == 503
    finally:
        server.stop()
