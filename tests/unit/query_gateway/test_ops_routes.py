"""The operations page's routes: the page and assets are public, its figures need a key."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi import FastAPI

from query_gateway.app import bootstrap
from query_gateway.settings import QueryGatewaySettings

KEYS = "r3ader:reader,ch4nnel:channel"


def get(app: FastAPI, path: str, query: str = "", key: str | None = None) -> tuple[int, bytes]:
    """Send one GET straight to the ASGI app (no server, no lifespan); return status, body."""
    headers = [(b"x-api-key", key.encode())] if key else []
    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": headers,
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 50502),
    }  # fmt: skip
    sent: list[dict[str, Any]] = []
    inbox = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if inbox:
            return inbox.pop()
        await asyncio.sleep(0.05)  # an idle client; a disconnect would end a stream early
        return {"type": "http.disconnect"} if sent else await receive()

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.fixture
def app() -> FastAPI:
    return bootstrap(QueryGatewaySettings(api_keys=KEYS, database_url="postgresql://nobody@x/y"))


def test_the_page_and_its_assets_are_served_by_the_gateway_itself(app: FastAPI) -> None:
    status, page = get(app, "/")
    assert status == 200 and "低在庫アラート" in page.decode()
    assert "http" not in page.decode().replace('href="/', "")  # no asset from elsewhere
    for asset in ("ops.js", "ops.css"):
        assert get(app, f"/ops/static/{asset}")[0] == 200


def test_the_figures_need_a_readers_key_in_the_header_or_the_query(app: FastAPI) -> None:
    assert get(app, "/api/ops/snapshot")[0] == 401
    assert get(app, "/api/ops/snapshot", key="ch4nnel")[0] == 403
    assert get(app, "/api/ops/stream", query="key=wrong")[0] == 401
    status, body = get(app, "/api/ops/snapshot", query="key=r3ader")
    assert status == 200 and json.loads(body)["command_api_port"] == 50501
    assert get(app, "/api/ops/snapshot", key="r3ader")[0] == 200
