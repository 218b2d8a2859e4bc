"""Cheap to send, expensive to answer: refused before they cost anything; odd input typed."""

from __future__ import annotations

import base64
import json
import time

import pytest
from graphql import get_introspection_query

from tests.e2e.query_gateway.server import GatewayServer

ALIASED = "a{}: __schema {{ types {{ fields {{ type {{ ofType {{ name }} }} }} }} }}"
SIX_HUNDRED = "{" + " ".join(ALIASED.format(i) for i in range(600)) + "}"
FRAGMENT_BOMB = "{ ...F0 }" + "".join(
    f" fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40)
) + " fragment F40 on Query { warehouses { code } }"  # fmt: skip


def codes(body: dict[str, object]) -> list[str]:
    errors = body.get("errors") or []
    assert isinstance(errors, list)
    return [e["extensions"]["code"] for e in errors]


def test_six_hundred_aliased_schema_introspections_are_refused(
    gateway: GatewayServer, record_property: pytest.RecordProperty
) -> None:
    before = gateway.statements
    started = time.monotonic()
    status, body = gateway.query(SIX_HUNDRED)
    elapsed_ms = (time.monotonic() - started) * 1000
    record_property("refusal_ms", round(elapsed_ms, 1))  # the issue asks < 100 ms
    print(f"600 aliased __schema refused in {elapsed_ms:.0f} ms over HTTP")
    assert (status, codes(body)) == (400, ["QUERY_TOO_COMPLEX"]) and "data" not in body
    assert gateway.statements == before


def test_graphiql_introspection_is_answered(gateway: GatewayServer) -> None:
    query = get_introspection_query(descriptions=True, input_value_deprecation=True)
    status, body = gateway.query(query)
    assert status == 200 and "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize(
    "query",
    [
        FRAGMENT_BOMB,  # 2**40 warehouses fields through 41 small fragments
        "{" + " __typename" * 300 + "}",  # same-named fields: quadratic to validate
        "{" + " products { totalCount }" * 100 + "}",
        "{" + " ... on Query { __typename }" * 200 + "}",
        "{" + " ".join(f"a{i}: warehouses {{ code }}" for i in range(600)) + "}",  # tokens
    ],
    ids=["fragment-bomb", "duplicates", "duplicate-lists", "inline-duplicates", "many-aliases"],
)
def test_cheap_documents_that_would_cost_much_are_refused_before_running(
    gateway: GatewayServer, query: str
) -> None:
    before = gateway.statements
    started = time.monotonic()
    status, body = gateway.query(query)
    assert (status, codes(body)) == (400, ["QUERY_TOO_COMPLEX"]), body
    assert time.monotonic() - started < 5  # not a hard figure: fast only when it is refused
    assert gateway.statements == before


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_00 + b"]" * 100_00,  # nested deeper than the JSON decoder recurses
        json.dumps({"query": "{ warehouses { code } }", "variables": {"v": [[[[[]]]]]}})
        .encode()
        .replace(b"[[[[[]]]]]", b"[" * 5000 + b"]" * 5000),
        b'{"query": "{ product(id: \\"\\\\u0000\\") { id } }"}',  # NUL in a literal
        b'{"query": "query($id: ID) { product(id: $id) { id } }", "variables": {"id": "a\\u0000"}}',
        b'{"query": "query($id: ID) { product(id: $id) { id } }", "variables": {"id": "\\ud800"}}',
        b'{"query": "{ warehouses { code } }", "operationName": 7}',
    ],
    ids=["nested-json", "nested-variables", "nul-literal", "nul-variable", "surrogate", "name"],
)
def test_odd_bodies_are_validation_errors(gateway: GatewayServer, body: bytes) -> None:
    status, answer = gateway.post(body)
    assert (status, codes(answer)) == (400, ["VALIDATION_ERROR"]), answer


def _cursor(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


@pytest.mark.parametrize(
    ("field", "cursor"),
    [
        ("products(first: 2, after: $after)", _cursor([5])),  # a number for a text key
        ("products(first: 2, sortBy: CREATED_AT, after: $after)", _cursor(["soon", "PRD-1"])),
        ("products(first: 2, sortBy: NAME, after: $after)", _cursor([{"a": 1}, "PRD-1"])),
        ("stockMovements(first: 2, after: $after)", _cursor(["2026-13-45T00:00:00Z", "x"])),
        ("stockMovements(first: 2, after: $after)", _cursor(["2026-04-01T00:00:00", "x"])),
        ("inventories(first: 2, after: $after)", "%%%"),
        ("customers(first: 2, after: $after)", _cursor(["a\u0000"])),
    ],
)
def test_forged_cursors_are_validation_errors(
    gateway: GatewayServer, field: str, cursor: str
) -> None:
    status, body = gateway.query(f"query($after: String) {{ {field} {{ totalCount }} }}",
                                 {"after": cursor})  # fmt: skip
    assert status == 200 and codes(body) == ["VALIDATION_ERROR"], body
    assert body["errors"][0]["extensions"]["field"] == "after"


def test_a_real_cursor_still_pages(gateway: GatewayServer) -> None:
    query = """query($after: String) { stockMovements(first: 3, after: $after) {
      edges { node { id } } pageInfo { endCursor } } }"""
    first = gateway.data(query)["stockMovements"]
    after = first["pageInfo"]["endCursor"]
    second = gateway.data(query, after=after)["stockMovements"]
    seen = {e["node"]["id"] for e in first["edges"]}
    assert second["edges"] and not seen & {e["node"]["id"] for e in second["edges"]}
