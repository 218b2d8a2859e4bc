"""Request bodies: decoded strictly; text PostgreSQL cannot store refused up front."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from graphql import parse

from connectors.graphql.body import (
    BodyTooLargeError,
    GraphQLRequest,
    InvalidRequestError,
    decode_request,
    read_capped,
)
from connectors.graphql.bounded import within
from connectors.graphql.text import check_document_text, check_request_text


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b"\xff", b"3", b'{"query": 3}', b'{"query": "{a}", "variables": [1]}',
     b'{"query": "{a}", "operationName": {}}'],
)  # fmt: skip
def test_a_body_that_is_not_a_graphql_request_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidRequestError):
        decode_request(body)


def test_a_request_decodes_with_empty_variables_by_default() -> None:
    assert decode_request(b'{"query": "{a}"}') == GraphQLRequest("{a}", {}, None)


def test_a_body_over_the_cap_is_refused_as_soon_as_it_is() -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield b"x" * 10
        yield b"x" * 10
        raise AssertionError("read past the cap")

    with pytest.raises(BodyTooLargeError):
        asyncio.run(read_capped(None, chunks(), 15))
    with pytest.raises(BodyTooLargeError):
        asyncio.run(read_capped("16", chunks(), 15))


@pytest.mark.parametrize(
    "payload",
    [{"query": "{a}", "variables": {"id": "a\x00b"}},
     {"query": "{a}", "variables": {"deep": [[{"k": ["\ud800"]}]]}},
     {"query": "{a}", "variables": {"a\x00": 1}},
     {"query": "# \ud800\n{a}"}],
)  # fmt: skip
def test_strings_postgres_cannot_store_are_refused(payload: dict[str, object]) -> None:
    request = decode_request(json.dumps(payload).encode())
    with pytest.raises(InvalidRequestError):
        check_request_text(request)


def test_deeply_nested_variables_are_checked_without_recursion() -> None:
    deep: object = "ok"
    for _ in range(100_000):
        deep = [deep]
    check_request_text(GraphQLRequest("{a}", {"v": deep}, None))


def test_a_nul_escaped_in_a_literal_is_refused() -> None:
    with pytest.raises(InvalidRequestError):
        check_document_text(parse('{ a(x: "\\u0000") }'))
    check_document_text(parse('{ a(x: "ok", y: ["fine"]) }'))


def test_a_call_past_its_bound_is_abandoned_at_once() -> None:
    async def stubborn() -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:  # like psycopg cancelling on the server: slow
            await asyncio.sleep(0.5)
            raise

    async def main() -> float:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await within(stubborn(), 0.1)
        return time.monotonic() - started

    assert asyncio.run(main()) < 0.4
