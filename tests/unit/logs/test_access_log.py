"""Each gateway request: a correlation id (X-Request-Id, echoed), and one access line."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from connectors.logs import AccessLog, bind_command
from tests.unit.logs.capture import json_lines

app = FastAPI()
app_log = logging.getLogger("tests.gateway")


@app.post("/api/graphql")
def mutation() -> JSONResponse:  # sync: FastAPI runs it on a thread, in a copied context
    bind_command("cmd-1", "INV-1")
    bind_command("cmd-2")
    app_log.info("sent")
    return JSONResponse({"data": {}})


def call(wrapped: Any, headers: list[tuple[bytes, bytes]]) -> list[dict[str, Any]]:
    """Send one POST through the ASGI app; return what it sent back."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/graphql", "raw_path": b"/api/graphql",
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 5123), "server": ("127.0.0.1", 50501)}  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    asyncio.run(wrapped(scope, receive, send))
    return sent


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """What the gateway logs, formatted as it logs (the context is read when formatting)."""
    with json_lines("command-gateway") as stream:
        yield stream


def logged(stream: io.StringIO, name: str) -> list[dict[str, Any]]:
    found = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [d for d in found if d["logger"] == name]


def test_the_client_s_request_id_is_echoed_and_on_every_line_of_the_request(
    lines: io.StringIO,
) -> None:
    sent = call(
        AccessLog(app), [(b"x-request-id", b"req-42"), (b"content-type", b"application/json")]
    )

    start = sent[0]
    assert start["status"] == 200
    assert (b"x-request-id", b"req-42") in start["headers"]
    (app_line,) = logged(lines, "tests.gateway")
    assert (app_line["correlation_id"], app_line["command_id"]) == ("req-42", "cmd-1")
    (access,) = logged(lines, "zaiko.access")
    assert access["msg"] == "POST /api/graphql 200"
    assert (access["method"], access["path"], access["status"]) == ("POST", "/api/graphql", 200)
    assert access["client"] == "127.0.0.1:5123"
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
    assert access["correlation_id"] == "req-42"
    assert (access["command_id"], access["aggregate_id"]) == ("cmd-1", "INV-1")
    assert access["command_ids"] == ["cmd-1", "cmd-2"]


@pytest.mark.parametrize("header", [None, b"a b", b"x" * 129, "行".encode()])
def test_without_a_usable_request_id_the_gateway_makes_one(
    lines: io.StringIO, header: bytes | None
) -> None:
    sent = call(AccessLog(app), [] if header is None else [(b"x-request-id", header)])

    (value,) = [v for k, v in sent[0]["headers"] if k == b"x-request-id"]
    assert value != header
    assert len(value) == 36  # a uuid4
    assert logged(lines, "tests.gateway")[0]["correlation_id"] == value.decode()


def test_the_access_line_can_be_off(lines: io.StringIO) -> None:
    sent = call(AccessLog(app, enabled=False), [])

    assert sent[0]["status"] == 200
    assert logged(lines, "tests.gateway")
    assert not logged(lines, "zaiko.access")
