"""HTTP: GraphiQL on GET, GraphQL over POST (size cap, API key, limits), health."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from inspect import isawaitable
from typing import Any

import graphene
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from graphql import GraphQLError, GraphQLSyntaxError, execute, get_operation_ast

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
from command_gateway.graphiql import DEFAULT_QUERY, TITLE
from command_gateway.limits import limit_error, request_limits
from command_gateway.ports import CommandBus, CompanyStore
from command_gateway.settings import CommandGatewaySettings
from connectors.graphql.body import (
    BodyTooLargeError,
    InvalidRequestError,
    decode_request,
    read_capped,
)
from connectors.graphql.graphiql import add_graphiql
from connectors.graphql.limits import LimitExceededError, RequestLimits
from connectors.graphql.metrics import Measured, measured
from connectors.graphql.text import check_request_text
from connectors.graphql.validation import validate_document

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

    @cached_property
    def limits(self) -> RequestLimits:
        """The request limits on this schema (measured once: the introspection allowance)."""
        return request_limits(self.settings, self.schema)


def _errors(status: int, *errors: GraphQLError) -> JSONResponse:
    return JSONResponse({"errors": [format_error(e) for e in errors]}, status_code=status)


async def graphql_post(endpoint: Endpoint, request: Request) -> JSONResponse:
    """Answer one GraphQL request; every error is typed, none is a stack trace."""
    with measured("command", endpoint.schema.graphql_schema) as measure:
        return await _answer(endpoint, request, measure)


async def _answer(endpoint: Endpoint, request: Request, measure: Measured) -> JSONResponse:
    settings = endpoint.settings
    try:
        body = await read_capped(
            request.headers.get("content-length"), request.stream(), settings.max_request_bytes
        )
    except BodyTooLargeError:
        message = f"request body exceeds {settings.max_request_bytes} bytes"
        return _errors(413, GatewayError(message, REQUEST_TOO_LARGE))
    principal = endpoint.keys.authenticate(request.headers.get(API_KEY_HEADER))
    if principal is None:
        message = f"a valid {API_KEY_HEADER} header is required"
        return _errors(401, GatewayError(message, UNAUTHENTICATED))
    try:
        graphql_request = decode_request(body)
        check_request_text(graphql_request)
        document = endpoint.limits.parse(graphql_request.query)
    except InvalidRequestError as e:
        return _errors(400, GatewayError(str(e), BAD_REQUEST))
    except LimitExceededError as e:
        return _errors(400, limit_error(e.violation))
    except GraphQLSyntaxError as e:
        return _errors(400, e)
    variables, operation_name = graphql_request.variables, graphql_request.operation_name
    measure.parsed(document, operation_name)
    # Measured before validation, whose cost grows with what the limits bound.
    too_costly = endpoint.limits.check(document, operation_name, variables)
    if too_costly:
        return _errors(400, *(limit_error(v) for v in too_costly))
    schema = endpoint.schema.graphql_schema
    invalid = validate_document(schema, document)
    if invalid:
        return _errors(400, *invalid)
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return _errors(400, GatewayError("no single operation to run: name one", BAD_REQUEST))
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
    measure.ok = not result.errors
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
    app = FastAPI(title=TITLE, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)  # fmt: skip

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", exc_info=exc)
        return _errors(500, GatewayError("internal error", INTERNAL_ERROR))

    add_graphiql(app, GRAPHQL_PATH, TITLE, DEFAULT_QUERY)

    @app.post(GRAPHQL_PATH, include_in_schema=False)
    async def graphql(request: Request) -> JSONResponse:
        return await graphql_post(endpoint, request)

    @app.get(HEALTH_PATH, include_in_schema=False)
    async def health_check() -> JSONResponse:
        return await health(endpoint)

    return app
