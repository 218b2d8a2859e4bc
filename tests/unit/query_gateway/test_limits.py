"""Depth and complexity measured on the document, fragments included."""

from __future__ import annotations

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from query_gateway.errors import GatewayError
from query_gateway.limits import Measure, check_limits


def _measure(query: str, variables: dict[str, object] | None = None) -> tuple[int, int]:
    doc = parse(query)
    op = next(d for d in doc.definitions if isinstance(d, OperationDefinitionNode))
    frags = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
    m = Measure(frags, variables or {}, default_page=20)
    return m.depth(op.selection_set), m.cost(op.selection_set)


def test_depth_counts_nested_fields_through_fragments() -> None:
    query = """{ products(first: 2) { edges { node { ...P } } } }
      fragment P on Product { inventories { zone { warehouse { code } } } }"""
    assert _measure(query)[0] == 7


def test_a_page_multiplies_the_cost_of_its_selection() -> None:
    small = _measure("{ products(first: 5) { edges { node { id name } } } }")[1]
    large = _measure(
        "query($n: Int) { products(first: $n) { edges { node { id name } } } }", {"n": 50}
    )[1]
    assert small == 1 + 5 * (1 + (1 + 2))  # products -> edges -> node -> id, name
    assert large == 1 + 50 * (1 + (1 + 2))


def test_introspection_is_free() -> None:
    depth, cost = _measure(
        "{ __schema { types { name fields { name type { ofType { name } } } } } }"
    )
    assert (depth, cost) == (0, 0)


def test_too_deep_and_too_costly_queries_are_refused() -> None:
    doc = parse("{ products(first: 100) { edges { node { inventories { zone { id } } } } } }")
    op = doc.definitions[0]
    assert isinstance(op, OperationDefinitionNode)
    with pytest.raises(GatewayError, match="depth 6 exceeds 5"):
        check_limits(op, {}, {}, max_depth=5, max_complexity=10**6, default_page=20)
    with pytest.raises(GatewayError, match="complexity") as raised:
        check_limits(op, {}, {}, max_depth=10, max_complexity=1000, default_page=20)
    assert raised.value.extensions["code"] == "QUERY_TOO_COMPLEX"  # type: ignore[index]
