"""Typed errors of the Query API: every error a client sees carries ``extensions.code``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from graphql import GraphQLError


class Code(StrEnum):
    VALIDATION_ERROR = "VALIDATION_ERROR"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    CONSISTENCY_TIMEOUT = "CONSISTENCY_TIMEOUT"
    PROJECTION_PARKED = "PROJECTION_PARKED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


class GatewayError(GraphQLError):
    """An error a resolver (or the request pipeline) raises on purpose, with its code."""

    def __init__(self, code: Code, message: str, **details: Any) -> None:
        super().__init__(message, extensions={"code": code.value, **details})
        self.code = code


def error_body(code: Code, message: str, **details: Any) -> dict[str, Any]:
    """Return a GraphQL response body holding one error (for failures before execution)."""
    return {"errors": [{"message": message, "extensions": {"code": code.value, **details}}]}


def format_error(error: GraphQLError) -> dict[str, Any]:
    """Return the client's view of an error: message, location, path, code; no internals."""
    original = error.original_error
    if isinstance(original, GatewayError):
        extensions = original.extensions or {}
        message = original.message
    elif original is not None:
        # An unexpected exception: the log has it (see execution.py); the client gets no
        # driver text or stack trace, which could leak SQL or internals.
        extensions = {"code": Code.INTERNAL_ERROR.value}
        message = "internal error"
    else:  # a syntax or validation error of the document, or a bad variable
        extensions = dict(error.extensions or {})
        extensions.setdefault("code", Code.VALIDATION_ERROR.value)
        message = error.message
    body: dict[str, Any] = {"message": message, "extensions": extensions}
    if error.locations:
        body["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        body["path"] = list(error.path)
    return body
