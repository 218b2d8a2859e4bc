"""API keys and roles: reader and operator may query; channel may not."""

from __future__ import annotations

import pytest

from query_gateway.auth import Role, authorize, parse_keys
from query_gateway.errors import Code, GatewayError


def test_no_keys_means_open_access() -> None:
    assert parse_keys(None) is None and parse_keys("  ") is None
    assert authorize(None, None) is None


def test_keys_parse_into_roles() -> None:
    assert parse_keys("r1:reader, o1:operator,c1:CHANNEL") == {
        "r1": Role.READER,
        "o1": Role.OPERATOR,
        "c1": Role.CHANNEL,
    }


@pytest.mark.parametrize("spec", ["nokey", ":reader", "k:admin"])
def test_malformed_key_lists_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_keys(spec)


@pytest.mark.parametrize(
    ("key", "code"),
    [(None, Code.UNAUTHENTICATED), ("wrong", Code.UNAUTHENTICATED), ("c1", Code.FORBIDDEN)],
)
def test_callers_without_a_query_role_are_refused(key: str | None, code: Code) -> None:
    keys = parse_keys("r1:reader,o1:operator,c1:channel")
    with pytest.raises(GatewayError) as raised:
        authorize(keys, key)
    assert raised.value.code is code


def test_readers_and_operators_may_query() -> None:
    keys = parse_keys("r1:reader,o1:operator")
    assert authorize(keys, "r1") is Role.READER
    assert authorize(keys, "o1") is Role.OPERATOR
