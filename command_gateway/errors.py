"""Typed GraphQL errors: every error a client sees carries ``extensions.code``."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError

from domain.errors import DomainError

log = logging.getLogger(__name__)

VALIDATION_ERROR = "VALIDATION_ERROR"
REJECTED = "REJECTED"
# the idempotency key names another command already (other aggregate or payload)
IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
TIMEOUT = "TIMEOUT"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
BAD_REQUEST = "BAD_REQUEST"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
UNAVAILABLE = "UNAVAILABLE"
INTERNAL_ERROR = "INTERNAL_ERROR"


class GatewayError(GraphQLError):
    """A GraphQL error with a stable code; shown to the client as is."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code, **extensions})

    @property
    def code(self) -> str:
        """Return the machine-readable code (``extensions.code``)."""
        return str((self.extensions or {})["code"])


def camel(name: str) -> str:
    """Return the GraphQL spelling of a field name (``to_inventory_id`` -> ``toInventoryId``)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# A value object's own label ("text", "int") is not a field: look for the named field first.
_PREFIX = re.compile(r"^([a-z_]+): ")
# Cross-field rules name ids, not a field: say which input fields they concern.
_RULE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "temperature": ("min_temperature_c", "max_temperature_c"),
    "source_inventory_id": ("inventory_id",),
    "destination_inventory_id": ("to_inventory_id",),
}


def validation_error(
    error: DomainError, fields: Sequence[str], argument: str = "input"
) -> GatewayError:
    """Translate a value object's refusal into VALIDATION_ERROR with the field path(s)."""
    named = [str(error.ids.get("field", ""))]
    match = _PREFIX.match(error.message)
    if match:
        named.insert(0, match.group(1))
    for key in (*named, *error.ids):
        named.extend(_RULE_FIELDS.get(key, ()))
    chosen = [f for f in dict.fromkeys(named) if f in fields]
    paths = [[argument, camel(f)] for f in chosen] or [[argument]]
    return GatewayError(
        error.message, VALIDATION_ERROR, fields=paths, reason=error.code, details=dict(error.ids)
    )


def format_error(error: GraphQLError) -> dict[str, Any]:
    """Return the client's view of ``error``: typed, and never a stack trace."""
    original = error if isinstance(error, GatewayError) else error.original_error
    if isinstance(original, GatewayError):
        extensions = dict(original.extensions or {})
        message = original.message
    elif original is None or type(original) is GraphQLError:  # syntax, unknown field, bad variable
        code = (
            GRAPHQL_PARSE_FAILED
            if isinstance(error, GraphQLSyntaxError)
            else GRAPHQL_VALIDATION_FAILED
        )
        extensions = {**(error.extensions or {}), "code": code}
        message = error.message
    else:
        log.error("unexpected error at %s", error.path, exc_info=original)
        extensions, message = {"code": INTERNAL_ERROR}, "internal error"
    formatted: dict[str, Any] = {"message": message, "extensions": extensions}
    if error.locations:
        formatted["locations"] = [{"line": x.line, "column": x.column} for x in error.locations]
    if error.path:
        formatted["path"] = list(error.path)
    return formatted
