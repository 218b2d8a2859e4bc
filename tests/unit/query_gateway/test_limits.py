"""Depth and complexity of the Query API's documents, fragments and introspection included."""

from __future__ import annotations

import pytest
from graphql import get_introspection_query, parse

from connectors.graphql.limits import LimitExceededError, RequestLimits
from query_gateway.limits import limit_error, request_limits
from query_gateway.schema import build_schema
from query_gateway.settings import QueryGatewaySettings


@pytest.fixture(scope="module")
def limits() -> RequestLimits:
    settings = QueryGatewaySettings(default_page_size=20, max_query_tokens=100_000)
    return request_limits(settings, build_schema().graphql_schema)


def _measure(
    limits: RequestLimits, query: str, variables: dict[str, object] | None = None
) -> tuple[int, int]:
    measured = limits.measure(parse(query), None, variables or {})
    return measured.depth, measured.cost


def test_depth_counts_nested_fields_through_fragments(limits: RequestLimits) -> None:
    query = """{ products(first: 2) { edges { node { ...P } } } }
      fragment P on Product { inventories { zone { warehouse { code } } } }"""
    assert _measure(limits, query)[0] == 7


def test_a_page_multiplies_the_cost_of_its_selection(limits: RequestLimits) -> None:
    small = _measure(limits, "{ products(first: 5) { edges { node { id name } } } }")[1]
    large = _measure(
        limits, "query($n: Int) { products(first: $n) { edges { node { id name } } } }", {"n": 50}
    )[1]
    assert small == 1 + 5 * (1 + (1 + 2))  # products -> edges -> node -> id, name
    assert large == 1 + 50 * (1 + (1 + 2))


def test_introspection_costs_what_the_schema_makes_it_answer(limits: RequestLimits) -> None:
    depth, cost = _measure(limits, "{ __schema { types { name } } }")
    types = len(build_schema().graphql_schema.type_map)
    assert (depth, cost) == (0, 1 + (1 + types * 1))  # __schema { types x { name } }


def test_graphiql_introspection_fits_and_many_aliased_copies_do_not(
    limits: RequestLimits,
) -> None:
    full = parse(get_introspection_query(descriptions=True))
    assert limits.check(full, None, {}) == []
    aliased = " ".join(
        f"a{i}: __schema {{ types {{ fields {{ type {{ ofType {{ name }} }} }} }} }}"
        for i in range(100)
    )
    (violation,) = limits.check(parse("{" + aliased + "}"), None, {})
    assert violation.limit == "complexity" and "introspection" in violation.message
    error = limit_error(violation)
    assert error.extensions["code"] == "QUERY_TOO_COMPLEX"  # type: ignore[index]
    assert error.extensions["maxComplexity"] == 50_000 + limits.introspection_allowance  # type: ignore[index]


def test_too_deep_and_too_costly_queries_are_refused() -> None:
    schema = build_schema().graphql_schema
    doc = parse("{ products(first: 100) { edges { node { inventories { zone { id } } } } } }")
    shallow = request_limits(QueryGatewaySettings(max_query_depth=5), schema)
    (deep,) = shallow.check(doc, None, {})
    assert (deep.limit, deep.value, deep.maximum) == ("depth", 6, 5)
    assert "depth 6 exceeds 5" in deep.message
    cheap = request_limits(QueryGatewaySettings(max_query_complexity=1000), schema)
    (costly,) = cheap.check(doc, None, {})
    assert costly.limit == "complexity"
    assert limit_error(costly).extensions == {  # type: ignore[comparison-overlap]
        "code": "QUERY_TOO_COMPLEX",
        "complexity": costly.value,
        "maxComplexity": 1000,
    }


def test_a_document_over_the_token_limit_is_refused_while_parsing() -> None:
    schema = build_schema().graphql_schema
    limits = request_limits(QueryGatewaySettings(max_query_tokens=100), schema)
    with pytest.raises(LimitExceededError) as raised:
        limits.parse("{" + " __typename" * 200 + "}")
    assert raised.value.violation.limit == "tokens"
