"""The body of a GraphQL request over HTTP: read within a size cap, decoded as JSON."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any


class BodyTooLargeError(Exception):
    """The body exceeds the cap (read no further than the cap)."""


class InvalidRequestError(ValueError):
    """The body is not a GraphQL request (JSON with a ``query`` string)."""


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    variables: dict[str, Any]
    operation_name: str | None


async def read_capped(declared: str | None, chunks: AsyncIterator[bytes], cap: int) -> bytes:
    """Return the body; raise BodyTooLargeError as soon as it exceeds ``cap`` bytes."""
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise BodyTooLargeError
    body = bytearray()
    async for chunk in chunks:  # a chunked body has no length: count as it comes
        body += chunk
        if len(body) > cap:
            raise BodyTooLargeError
    return bytes(body)


def decode_request(body: bytes) -> GraphQLRequest:
    """Return the request in ``body``; raise InvalidRequestError when it is not one."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError) as e:
        raise InvalidRequestError(f"the body is not JSON: {e}") from None
    except RecursionError:  # [[[[... nested deeper than the decoder recurses
        raise InvalidRequestError("the body is not JSON: nested too deeply") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        raise InvalidRequestError('the body must be a JSON object with a "query" string')
    variables, name = payload.get("variables"), payload.get("operationName")
    if variables is not None and not isinstance(variables, dict):
        raise InvalidRequestError('"variables" must be an object')
    if name is not None and not isinstance(name, str):
        raise InvalidRequestError('"operationName" must be a string')
    return GraphQLRequest(payload["query"], variables or {}, name)
