"""GraphQL requests are counted and timed by API, operation (field names) and outcome."""

from __future__ import annotations

from graphql import parse
from prometheus_client import REGISTRY

from connectors.graphql.metrics import operation_label
from query_gateway.schema import build_schema
from tests.unit.command_gateway.fakes import gateway, graphql

SCHEMA = build_schema().graphql_schema


def requests(operation: str, outcome: str) -> float:
    labels = {"api": "command", "operation": operation, "outcome": outcome}
    return REGISTRY.get_sample_value("zaiko_graphql_requests_total", labels) or 0.0


def timed(operation: str) -> float:
    labels = {"api": "command", "operation": operation}
    return REGISTRY.get_sample_value("zaiko_graphql_request_seconds_count", labels) or 0.0


def label(query: str, operation_name: str | None = None) -> str:
    return operation_label(SCHEMA, parse(query), operation_name)


def test_the_label_is_the_top_level_field_never_an_alias_and_several_share_one() -> None:
    # one label per field, one for several: never a series per combination of fields
    assert label("{ warehouses { code } b: products(first: 1) { totalCount } }") == "multiple"
    assert label("query { x: warehouses { code } y: warehouses { name } }") == "warehouses"


def test_fragments_are_followed_and_the_operation_named_is_the_one_labelled() -> None:
    query = """
        query A { ...F }
        query B { zoneSummaries { zoneId } }
        fragment F on Query {
            warehouses { code }
            ... on Query { lowStockAlerts { edges { cursor } } }
        }
    """
    assert label(query, "A") == "multiple"
    assert label(query, "B") == "zoneSummaries"
    assert label(query, None) == "invalid"  # two operations, none named: nothing runs


def test_a_field_the_schema_lacks_is_invalid_so_clients_cannot_mint_labels() -> None:
    assert label("{ warehouses { code } madeUpByAClient }") == "invalid"
    assert label("mutation { warehouses { code } }") == "invalid"  # no mutation type here
    assert label("{ __typename }") == "__typename"


def test_requests_through_the_command_gateway_are_counted_by_operation_and_outcome() -> None:
    app, _, _ = gateway()
    ok, bad, invalid = (
        requests("role", "ok"),
        requests("role", "error"),
        requests("invalid", "error"),
    )
    seconds = timed("role")

    assert graphql(app.app, "query Mine { me: role }").status == 200
    assert graphql(app.app, "{ role }").status == 200
    assert graphql(app.app, "{ role").status == 400  # does not parse
    assert graphql(app.app, "{ role noSuchField }").status == 400  # fails validation

    assert requests("role", "ok") - ok == 2
    assert requests("role", "error") == bad
    assert requests("invalid", "error") - invalid == 2
    assert timed("role") - seconds == 2
    assert (
        REGISTRY.get_sample_value(
            "zaiko_graphql_requests_total", {"api": "command", "operation": "Mine", "outcome": "ok"}
        )
        is None
    )
