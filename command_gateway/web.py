"""HTTP: GraphiQL on GET, GraphQL over POST (size cap, API key, limits), health."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

import graphene
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from graphql import GraphQLError, GraphQLSyntaxError, execute, get_operation_ast, parse, validate

from command_gateway.api.context import RequestContext
from command_gateway.auth import API_KEY_HEADER, ApiKeys
from command_gateway.errors import (
    BAD_REQUEST,
    INTERNAL_ERROR,
    REQUEST_TOO_LARGE,
    UNAUTHENTICATED,
    GatewayError,
    format_error,
)
from command_gateway.graphiql import GRAPHIQL_HTML
from command_gateway.limits import Limits, check_limits
from command_gateway.ports import CommandBus, CompanyStore
from command_gateway.settings import CommandGatewaySettings

log = logging.getLogger(__name__)
GRAPHQL_PATH = "/api/graphql"
HEALTH_PATH = "/api/health"


@dataclass(frozen=True)
class Endpoint:
    """Everything a request needs, built once by the composition root."""

    settings: CommandGatewaySettings
    schema: graphene.Schema
    keys: ApiKeys
    commands: CommandBus
    companies: CompanyStore

    @property
    def limits(self) -> Limits:
        s = self.settings
        return Limits(s.max_query_depth, s.max_query_complexity, s.mutation_cost)


def _errors(status: int, *errors: GraphQLError) -> JSONResponse:
    return JSONResponse({"errors": [format_error(e) for e in errors]}, status_code=status)


class _TooLarge(Exception):
    pass


async def _read_capped(request: Request, cap: int) -> bytes:
    """Read the body, refusing it as soon as it exceeds ``cap`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise _TooLarge
    return bytes(body)


def _parse_request(body: bytes) -> tuple[str, dict[str, Any] | None, str | None]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GatewayError(f"body is not JSON: {e}", BAD_REQUEST) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        raise GatewayError('body must be a JSON object with a "query" string', BAD_REQUEST)
    variables, name = payload.get("variables"), payload.get("operationName")
    if variables is not None and not isinstance(variables, dict):
        raise GatewayError('"variables" must be an object', BAD_REQUEST)
    if name is not None and not isinstance(name, str):
        raise GatewayError('"operationName" must be a string', BAD_REQUEST)
    return payload["query"], variables, name


async def graphql_post(endpoint: Endpoint, request: Request) -> JSONResponse:
    """Answer one GraphQL request; every error is typed, none is a stack trace."""
    settings = endpoint.settings
    try:
        body = await _read_capped(request, settings.max_request_bytes)
    except _TooLarge:
        message = f"request body exceeds {settings.max_request_bytes} bytes"
        return _errors(413, GatewayError(message, REQUEST_TOO_LARGE))
    principal = endpoint.keys.authenticate(request.headers.get(API_KEY_HEADER))
    if principal is None:
        message = f"a valid {API_KEY_HEADER} header is required"
        return _errors(401, GatewayError(message, UNAUTHENTICATED))
    try:
        query, variables, operation_name = _parse_request(body)
        document = parse(query)
    except GraphQLSyntaxError as e:
        return _errors(400, e)
    except GatewayError as e:
        return _errors(400, e)
    schema = endpoint.schema.graphql_schema
    invalid = validate(schema, document)
    if invalid:
        return _errors(400, *invalid)
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return _errors(400, GatewayError("no single operation to run: name one", BAD_REQUEST))
    too_costly = check_limits(document, operation, endpoint.limits)
    if too_costly:
        return _errors(400, *too_costly)
    context = RequestContext(
        principal, endpoint.commands, endpoint.companies, settings.command_timeout_s,
        settings.channel,
    )  # fmt: skip
    result = execute(schema, document, context_value=context, variable_values=variables,
                     operation_name=operation_name)  # fmt: skip
    if isawaitable(result):
        result = await result
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [format_error(e) for e in result.errors]
    return JSONResponse(response)


async def health(endpoint: Endpoint) -> JSONResponse:
    """Report Kafka (required: 503 without it) and PostgreSQL (company CRUD only)."""
    timeout = endpoint.settings.kafka_probe_timeout_s
    kafka = await endpoint.commands.reachable(timeout)
    postgres = await endpoint.companies.reachable(timeout)
    document = {
        "status": "ok" if kafka else "unavailable",
        "kafka": {"reachable": kafka, "bootstrap": endpoint.settings.kafka_bootstrap_servers},
        "postgres": {"reachable": postgres},
        "auth": "open" if endpoint.keys.open else "api-keys",
    }
    return JSONResponse(document, status_code=200 if kafka else 503)


def create_app(endpoint: Endpoint, lifespan: Callable[[FastAPI], Any] | None = None) -> FastAPI:
    """Return the FastAPI app serving ``endpoint``."""
    app = FastAPI(title="Zaiko Command API", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)  # fmt: skip

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", exc_info=exc)
        return _errors(500, GatewayError("internal error", INTERNAL_ERROR))

    @app.get(GRAPHQL_PATH, include_in_schema=False)
    async def graphiql() -> HTMLResponse:
        return HTMLResponse(GRAPHIQL_HTML)

    @app.post(GRAPHQL_PATH, include_in_schema=False)
    async def graphql(request: Request) -> JSONResponse:
        return await graphql_post(endpoint, request)

    @app.get(HEALTH_PATH, include_in_schema=False)
    async def health_check() -> JSONResponse:
        return await health(endpoint)

    return app
