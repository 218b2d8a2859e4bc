"""The company store's PostgreSQL paused or down: UNAVAILABLE within the bound, not a hang."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from command_gateway.settings import CommandGatewaySettings
from compose.stack import Stack
from tests.e2e.command_gateway.gateway_process import free_port
from tests.e2e.command_gateway.in_process import serve
from tests.e2e.tcp_proxy import PausableProxy

pytestmark = pytest.mark.integration
DELETE = 'mutation { deleteCompany(companyId: "CMP-9999") { deleted } }'
BOUND_S = 1.0


def call(url: str, query: str) -> tuple[float, dict[str, Any]]:
    request = urllib.request.Request(url, json.dumps({"query": query}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    return time.monotonic() - started, body


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@pytest.fixture
def proxy(stack: Stack) -> Iterator[PausableProxy]:
    params = conninfo_to_dict(stack.settings.effective_database_url)
    proxy = PausableProxy((str(params.get("host") or "127.0.0.1"), int(params["port"])))
    try:
        yield proxy
    finally:
        proxy.close()


def _settings(url: str) -> CommandGatewaySettings:
    return CommandGatewaySettings(database_url=url, api_keys=None, postgres_timeout_s=BOUND_S)


def test_a_paused_company_store_is_unavailable_within_the_bound(
    stack: Stack, proxy: PausableProxy
) -> None:
    url = make_conninfo(stack.settings.effective_database_url, port=proxy.port)
    with serve(_settings(url)) as api:
        _, body = call(api, DELETE)
        assert codes(body) == ["REJECTED"]  # it reached the store: no such company
        proxy.pause()
        seconds, body = call(api, DELETE)
        assert codes(body) == ["UNAVAILABLE"] and seconds < BOUND_S + 2.0, (seconds, body)
        proxy.resume()


def test_a_company_store_that_is_down_is_unavailable_within_the_bound(stack: Stack) -> None:
    url = make_conninfo(stack.settings.effective_database_url, port=free_port())
    with serve(_settings(url)) as api:
        seconds, body = call(api, DELETE)
        assert codes(body) == ["UNAVAILABLE"] and seconds < BOUND_S + 2.0, (seconds, body)
