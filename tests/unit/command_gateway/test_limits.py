"""Depth, complexity and request-size limits refuse a request before anything runs."""

from __future__ import annotations

import json

from graphql import get_introspection_query, parse

from command_gateway.limits import Limits, check_limits
from tests.unit.command_gateway.fakes import call, codes, gateway, graphql

ONE = 'activateWarehouse(input: {warehouseId: "TKY"}) { version }'


def test_a_selection_deeper_than_the_limit_is_refused_and_nothing_is_sent() -> None:
    app, bus, _ = gateway(max_query_depth=1)
    assert graphql(app.app, "{ role }").json()["data"] == {"role": "operator"}
    response = graphql(app.app, f"mutation {{ {ONE} }}")
    assert response.status == 400
    assert codes(response) == ["QUERY_TOO_DEEP"]
    assert response.json()["errors"][0]["extensions"]["depth"] == 2
    assert bus.sent == []


def test_depth_counts_through_fragments_and_ignores_introspection() -> None:
    limits = Limits(max_depth=3, max_complexity=1000, mutation_cost=1)
    deep = parse("query { a { ...F } } fragment F on T { b { ... on T { c { d } } } }")
    (error,) = check_limits(deep, deep.definitions[0], limits)  # type: ignore[arg-type]
    assert error.extensions == {"code": "QUERY_TOO_DEEP", "depth": 4, "limit": 3}
    shallow = parse('query { a { b { __type(name: "T") { fields { type { name } } } } } }')
    assert check_limits(shallow, shallow.definitions[0], limits) == []  # type: ignore[arg-type]


def test_more_mutations_than_the_complexity_allows_are_refused_and_none_is_sent() -> None:
    app, bus, _ = gateway(max_query_complexity=100, mutation_cost=20)
    many = " ".join(f"m{i}: {ONE}" for i in range(5))
    response = graphql(app.app, f"mutation {{ {many} }}")
    assert response.status == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert response.json()["errors"][0]["extensions"]["complexity"] == 5 * 21
    assert bus.sent == []
    four = " ".join(f"m{i}: {ONE}" for i in range(4))
    assert "errors" not in graphql(app.app, f"mutation {{ {four} }}").json()
    assert len(bus.sent) == 4


def test_a_body_over_the_size_cap_is_refused_unread() -> None:
    app, bus, _ = gateway(max_request_bytes=2048)
    padding = "#" + "x" * 3000 + "\n"
    response = graphql(app.app, f"{padding}mutation {{ {ONE} }}")
    assert response.status == 413
    assert codes(response) == ["REQUEST_TOO_LARGE"]
    assert bus.sent == []


def test_graphiql_introspection_passes_the_limits() -> None:
    app, _, _ = gateway()
    response = graphql(app.app, get_introspection_query())
    assert "errors" not in response.json()
    assert response.json()["data"]["__schema"]["mutationType"]["name"] == "Mutation"


def test_a_body_that_is_not_graphql_json_is_a_typed_bad_request() -> None:
    app, _, _ = gateway()
    response = call(app.app, "POST", "/api/graphql", b"{not json", {"content-type": "x"})
    assert response.status == 400
    assert codes(response) == ["BAD_REQUEST"]
    response = call(app.app, "POST", "/api/graphql", json.dumps({"q": 1}).encode())
    assert codes(response) == ["BAD_REQUEST"]
    assert codes(graphql(app.app, "mutation {")) == ["GRAPHQL_PARSE_FAILED"]
