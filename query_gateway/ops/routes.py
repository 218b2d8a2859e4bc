"""The page's routes: ``/`` (HTML), ``/ops/static/*``, ``/api/ops/snapshot``, ``/api/ops/stream``.

The page and its assets are public like GraphiQL; the figures need a reader's key when
keys are configured, in ``X-API-Key`` or, for EventSource (which sends no headers),
the ``key`` query parameter.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.staticfiles import StaticFiles

from query_gateway.auth import HEADER, Role, authorize
from query_gateway.errors import Code, GatewayError, error_body
from query_gateway.ops.hub import sse
from query_gateway.ops.service import OpsService

HEARTBEAT_S = 15.0
RETRY_MS = 2000  # how soon a browser reconnects a dropped stream


def add_ops_routes(app: FastAPI, ops: OpsService, api_keys: dict[str, Role] | None) -> None:
    """Serve the operations page and its data on ``app``."""
    page = (files("query_gateway.ops") / "static" / "index.html").read_text("utf-8")

    async def index() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    def denied(request: Request) -> Response | None:
        presented = request.headers.get(HEADER) or request.query_params.get("key")
        try:
            authorize(api_keys, presented)
        except GatewayError as exc:
            status = 401 if exc.code == Code.UNAUTHENTICATED else 403
            return JSONResponse(error_body(exc.code, exc.message), status)
        return None

    async def snapshot(request: Request) -> Response:
        return denied(request) or JSONResponse(ops.snapshot())

    async def stream(request: Request) -> Response:
        refused = denied(request)
        if refused is not None:
            return refused
        if ops.hub.full():  # each open page holds a queue: their number is bounded too
            body = {"error": "too many open operations pages", "retry_after_s": 30}
            return JSONResponse(body, 503, headers={"Retry-After": "30"})
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(_events(ops), media_type="text/event-stream",
                                 headers=headers)  # fmt: skip

    app.add_api_route("/", index, methods=["GET"], include_in_schema=False)
    app.add_api_route("/api/ops/snapshot", snapshot, methods=["GET"])
    app.add_api_route("/api/ops/stream", stream, methods=["GET"])
    app.mount("/ops/static", StaticFiles(packages=[("query_gateway.ops", "static")]), "ops-static")


async def _events(ops: OpsService) -> AsyncIterator[str]:
    queue = ops.hub.subscribe()
    try:
        yield f"retry: {RETRY_MS}\n" + sse("hello", {"streams": len(ops.hub.streams)})
        while True:  # StreamingResponse cancels us when the page goes away
            try:
                text = await asyncio.wait_for(queue.get(), HEARTBEAT_S)
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            if text is None:
                return
            yield text
    finally:
        ops.hub.unsubscribe(queue)
