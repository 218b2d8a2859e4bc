"""Depth, complexity and request-size limits refuse a request before anything runs."""

from __future__ import annotations

import json

from graphql import get_introspection_query

from tests.unit.command_gateway.fakes import call, codes, gateway, graphql

ONE = 'activateWarehouse(input: {warehouseId: "TKY"}) { version }'
ALIASED_SCHEMA = "a{}: __schema {{ types {{ fields {{ type {{ ofType {{ name }} }} }} }} }}"


def test_a_selection_deeper_than_the_limit_is_refused_and_nothing_is_sent() -> None:
    app, bus, _ = gateway(max_query_depth=1)
    assert graphql(app.app, "{ role }").json()["data"] == {"role": "operator"}
    response = graphql(app.app, f"mutation {{ {ONE} }}")
    assert response.status == 400
    assert codes(response) == ["QUERY_TOO_DEEP"]
    assert response.json()["errors"][0]["extensions"]["depth"] == 2
    assert bus.sent == []


def test_depth_counts_through_fragments() -> None:
    app, bus, _ = gateway(max_query_depth=1)
    query = f"mutation {{ ...M }} fragment M on Mutation {{ {ONE} }}"
    response = graphql(app.app, query)
    assert codes(response) == ["QUERY_TOO_DEEP"]
    assert response.json()["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_DEEP",
        "depth": 2,
        "limit": 1,
    }
    assert bus.sent == []


def test_six_hundred_aliased_schema_introspections_are_refused_quickly() -> None:
    app, _, _ = gateway()
    response = graphql(app.app, "{" + " ".join(ALIASED_SCHEMA.format(i) for i in range(600)) + "}")
    assert response.status == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert "data" not in response.json()


def test_aliased_introspection_counts_towards_the_cost_limit() -> None:
    app, _, _ = gateway(max_query_tokens=100_000)
    allowance = app.endpoint.limits.introspection_allowance
    response = graphql(app.app, "{" + " ".join(ALIASED_SCHEMA.format(i) for i in range(100)) + "}")
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    (error,) = response.json()["errors"]
    assert error["extensions"]["limit"] == 200 + allowance
    assert error["extensions"]["complexity"] > 200 + allowance
    assert "introspection" in error["message"]
    one = graphql(app.app, "{" + ALIASED_SCHEMA.format(0) + "}")
    assert "errors" not in one.json()


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
