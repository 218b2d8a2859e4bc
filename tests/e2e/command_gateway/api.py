"""Call the Command API's mutations by name with typed inputs, as a client would."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from tests.e2e.command_gateway.conftest import KEYS
from tests.e2e.command_gateway.gateway_process import GatewayProcess

T = TypeVar("T")
R = TypeVar("R")
RESULT = "commandId aggregateType aggregateId version eventTypes consistencyToken"


def mutation_text(name: str) -> str:
    """Return the GraphQL text of mutation ``name`` with variables for its arguments."""
    input_type = name[0].upper() + name[1:] + "Input"
    return (f"mutation($in: {input_type}!, $key: String, $v: Int) {{ {name}(input: $in, "
            f"idempotencyKey: $key, expectedVersion: $v) {{ {RESULT} }} }}")  # fmt: skip


def send(
    gateway: GatewayProcess, name: str, values: dict[str, Any], *, key: str | None = None,
    version: int | None = None, api_key: str = KEYS["operator"],
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:  # fmt: skip
    """Run mutation ``name``; return (its data or None, errors)."""
    status, body = gateway.graphql(
        mutation_text(name), {"in": values, "key": key, "v": version}, api_key
    )
    assert isinstance(body, dict), (status, body)
    return (body.get("data") or {}).get(name), body.get("errors", [])


def accepted(gateway: GatewayProcess, name: str, values: dict[str, Any], **kw: Any) -> Any:
    """Run mutation ``name`` and return its result, failing on any error."""
    data, errors = send(gateway, name, values, **kw)
    assert not errors, f"{name} {values}: {errors}"
    assert data is not None
    return data


def rejection(gateway: GatewayProcess, name: str, values: dict[str, Any], **kw: Any) -> str:
    """Run mutation ``name``, expect REJECTED, and return its reason (the domain code)."""
    data, errors = send(gateway, name, values, **kw)
    assert data is None and len(errors) == 1, (name, values, data, errors)
    assert errors[0]["extensions"]["code"] == "REJECTED", errors
    return str(errors[0]["extensions"]["reason"])


def in_parallel(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """Run ``fn`` over ``items`` on threads (independent aggregates); return results in order."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(fn, items))
