"""The shared GraphiQL page and its static route, on both gateways, in process."""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi import FastAPI

from command_gateway.graphiql import DEFAULT_QUERY
from connectors.graphql.graphiql import (
    ASSET_CACHE_CONTROL,
    ASSETS,
    STATIC_DIR,
    add_graphiql,
    page,
)
from query_gateway.app import bootstrap as query_bootstrap
from query_gateway.settings import QueryGatewaySettings
from tests.unit.command_gateway.fakes import gateway as command_gateway

STATIC = "/api/graphql/static"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def get(app: Any, raw_path: str) -> Reply:
    """Send GET ``raw_path`` through the ASGI app, decoding the path as uvicorn does."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": unquote(raw_path), "raw_path": raw_path.encode(),
             "query_string": b"", "root_path": "", "headers": [], "client": ("127.0.0.1", 1),
             "server": ("test", 80)}  # fmt: skip
    reply = Reply(0, {}, b"")
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected until the reply is sent
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            reply.status = message["status"]
            reply.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            reply.body += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return reply


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v is not None]


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def readme_hashes() -> dict[str, str]:
    text = (STATIC_DIR / "README.md").read_text()
    return dict(re.findall(r"^\| (\S+) \|.*\| ([0-9a-f]{64}) \|$", text, re.MULTILINE))


def command_app() -> FastAPI:
    return command_gateway()[0].app  # type: ignore[no-any-return]


def query_app() -> FastAPI:
    # Nothing connects: the lifespan (which opens the pools) never runs here.
    closed = QueryGatewaySettings(database_url="postgresql://127.0.0.1:9/none",
                                  redis_url="redis://127.0.0.1:9/0")  # fmt: skip
    return query_bootstrap(closed)


GATEWAYS = {"command": (command_app, "Zaiko Command API"), "query": (query_app, "Zaiko Query API")}


def test_every_shipped_asset_matches_the_sha256_pinned_in_the_readme() -> None:
    pinned = readme_hashes()
    assert set(pinned) == set(ASSETS)
    for name, digest in pinned.items():
        assert hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest() == digest, name
    assert {p.name for p in STATIC_DIR.glob("LICENSE.*")} == {
        "LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom",
    }  # fmt: skip


@pytest.mark.parametrize("api", GATEWAYS)
def test_the_page_loads_every_asset_from_its_own_gateway_and_each_is_served(api: str) -> None:
    make, title = GATEWAYS[api]
    app = make()
    reply = get(app, "/api/graphql")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/html")
    html = reply.body.decode()
    assert f"<title>{title}</title>" in html
    assert "unpkg" not in html and "://" not in html
    assert "default-src 'self'" in reply.headers["content-security-policy"]
    urls = links(html)
    assert sorted(urls) == sorted(f"{STATIC}/{name}" for name in ASSETS)
    for url in urls:
        asset = get(app, url)
        name = url.rsplit("/", 1)[1]
        assert asset.status == 200, url
        assert asset.headers["content-type"] == ASSETS[name]
        assert asset.headers["cache-control"] == ASSET_CACHE_CONTROL
        assert asset.body == (STATIC_DIR / name).read_bytes()


def test_the_command_page_opens_with_its_default_query_and_the_query_page_with_none() -> None:
    command = get(command_app(), "/api/graphql").body.decode()
    assert '"defaultQuery": "# Every command is a mutation' in command
    assert 'receiveStock(\\n    input: {inventoryId: \\"PRD-000001@TKY-01\\"' in command
    assert "defaultQuery" not in get(query_app(), "/api/graphql").body.decode()
    assert "mutation {" in DEFAULT_QUERY


@pytest.mark.parametrize(
    "path",
    [
        f"{STATIC}/README.md",
        f"{STATIC}/LICENSE.graphiql",
        f"{STATIC}/graphiql.min.js",
        f"{STATIC}/",
        f"{STATIC}/..",
        f"{STATIC}/../../graphiql.py",
        f"{STATIC}/..%2Fgraphiql.py",
        f"{STATIC}/%2e%2e%2f%2e%2e%2fgraphiql.py",
        f"{STATIC}/..%5cgraphiql.py",
        f"{STATIC}/%2Fetc%2Fpasswd",
        f"{STATIC}/graphiql-3.8.3.min.js%00.css",
        f"{STATIC}/graphiql-3.8.3.min.js.map",
    ],
)
def test_unknown_names_and_traversal_attempts_are_404(path: str) -> None:
    for make, _ in GATEWAYS.values():
        reply = get(make(), path)
        assert reply.status == 404, (path, reply.status)


def test_a_script_closing_tag_in_the_default_query_cannot_end_the_script() -> None:
    app = FastAPI()
    add_graphiql(app, "/g", "a <b> title", "# </script><script>alert(1)</script>")
    html = get(app, "/g").body.decode()
    assert html.count("</script>") == 4  # the three assets and the bootstrap
    assert "<title>a &lt;b&gt; title</title>" in html
    assert page("t", "/g").count('src="/g/static/') == 3
