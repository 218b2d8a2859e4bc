"""The Query API's composition root: ``bootstrap(settings, **overrides)`` -> FastAPI app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from redis import asyncio as aioredis

from connectors.graphql.body import (
    BodyTooLargeError,
    InvalidRequestError,
    decode_request,
    read_capped,
)
from connectors.graphql.bounded import within
from connectors.graphql.graphiql import add_graphiql
from connectors.graphql.metrics import Measured, measured
from connectors.graphql.text import check_request_text
from connectors.postgres.conninfo import with_timeouts
from query_gateway.auth import HEADER, authorize, parse_keys
from query_gateway.cache import MasterCache
from query_gateway.context import RequestContext
from query_gateway.db import Database
from query_gateway.errors import Code, GatewayError, error_body
from query_gateway.execution import Executor
from query_gateway.ops.routes import add_ops_routes
from query_gateway.ops.service import OpsService
from query_gateway.positions import PositionPoller
from query_gateway.schema import build_schema
from query_gateway.settings import QueryGatewaySettings

log = logging.getLogger(__name__)
STATUS = {Code.UNAUTHENTICATED: 401, Code.FORBIDDEN: 403, Code.REQUEST_TOO_LARGE: 413}


@dataclass
class Gateway:
    """Everything one running Query API holds (``app.state.gateway``)."""

    settings: QueryGatewaySettings
    db: Database
    cache: MasterCache
    executor: Executor
    api_keys: Any
    positions: PositionPoller
    ops: OpsService


def bootstrap(settings: QueryGatewaySettings | None = None, **overrides: Any) -> FastAPI:
    """Build the app; ``overrides`` replace parts (db, cache, redis) for tests."""
    settings = settings or QueryGatewaySettings()
    db = overrides.get("db") or Database.for_url(
        settings.effective_database_url,
        settings.db_pool_min_size,
        settings.db_pool_max_size,
        settings.db_timeout_s,
    )
    redis_client = overrides.get("redis") or aioredis.Redis.from_url(
        settings.effective_redis_url,
        decode_responses=True,
        socket_timeout=2,
        socket_connect_timeout=2,
    )
    cache = overrides.get("cache") or MasterCache(redis_client, settings.cache_ttl_s)
    gateway = Gateway(
        settings,
        db,
        cache,
        Executor(build_schema().graphql_schema, settings),
        parse_keys(settings.api_keys),
        overrides.get("positions")
        or PositionPoller(
            with_timeouts(settings.effective_database_url), poll_timeout_s=settings.db_timeout_s
        ),
        # the page polls on a pool of its own: API requests never wait behind it,
        # and the statement counts the tests and the bench read stay the API's
        OpsService(
            settings,
            overrides.get("ops_db")
            or Database.for_url(settings.effective_database_url, 1, 1, settings.db_timeout_s),
        ),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if gateway.api_keys is None:
            log.warning(
                "Query API is OPEN: no api_keys configured (embedded default);"
                " set ZAIKO_API_KEYS='key:reader,...' to require X-API-Key"
            )
        await db.open()
        await gateway.ops.start()
        try:
            yield
        finally:
            await gateway.ops.stop()
            await gateway.positions.stop()
            await db.close()
            await redis_client.aclose()

    app = FastAPI(title="Zaiko Query API", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.gateway = gateway
    add_graphiql(app, "/api/graphql", "Zaiko Query API")
    app.add_api_route("/api/graphql", _graphql(gateway), methods=["POST"])
    app.add_api_route("/api/health", _health(gateway), methods=["GET"])
    add_ops_routes(app, gateway.ops, gateway.api_keys)
    return app


def _graphql(gateway: Gateway) -> Any:
    async def graphql(request: Request) -> Response:
        with measured("query", gateway.executor.schema) as measure:
            return await _answer(gateway, request, measure)

    return graphql


async def _answer(gateway: Gateway, request: Request, measure: Measured) -> Response:
    try:
        authorize(gateway.api_keys, request.headers.get(HEADER))
        graphql_request = decode_request(await _body(request, gateway.settings))
        check_request_text(graphql_request)
        prepared = gateway.executor.prepare(graphql_request.query)  # memoised: run() reuses it
        measure.parsed(prepared.document, graphql_request.operation_name)  # unparsed: no fields
        context = RequestContext(gateway.db, gateway.cache, gateway.settings, gateway.positions)
        body = await gateway.executor.run(graphql_request, context)
        measure.ok = "errors" not in body
        return JSONResponse(body)
    except GatewayError as exc:
        details = {k: v for k, v in (exc.extensions or {}).items() if k != "code"}
        return JSONResponse(
            error_body(exc.code, exc.message, **details), status_code=STATUS.get(exc.code, 400)
        )
    except InvalidRequestError as exc:
        return JSONResponse(error_body(Code.VALIDATION_ERROR, str(exc)), 400)
    except Exception:
        log.exception("request failed")
        return JSONResponse(error_body(Code.INTERNAL_ERROR, "internal error"), 500)


async def _body(request: Request, settings: QueryGatewaySettings) -> bytes:
    limit = settings.max_request_bytes
    try:
        return await read_capped(request.headers.get("content-length"), request.stream(), limit)
    except BodyTooLargeError:
        raise GatewayError(
            Code.REQUEST_TOO_LARGE, f"the request exceeds {limit} bytes", maxBytes=limit
        ) from None


def _health(gateway: Gateway) -> Any:
    async def health() -> JSONResponse:
        checks = {"postgres": gateway.db.ping(), "redis": gateway.cache.ping()}
        report: dict[str, Any] = {}
        for name, check in checks.items():
            try:
                await within(check, 3.0)
                report[name] = {"healthy": True}
            except Exception as exc:  # any failure means unreachable; say which
                report[name] = {"healthy": False, "detail": f"{type(exc).__name__}: {exc}"}
        healthy = all(c["healthy"] for c in report.values())
        return JSONResponse({"healthy": healthy, "components": report}, 200 if healthy else 503)

    return health
