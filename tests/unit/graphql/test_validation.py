"""A literal graphql-core cannot read is the client's error in both APIs, never INTERNAL."""

from __future__ import annotations

from graphql import parse

from connectors.graphql.validation import validate_document
from query_gateway.errors import format_error
from query_gateway.schema import build_schema
from tests.unit.command_gateway.fakes import codes, gateway, graphql

HUGE = "1" * 5000  # int() refuses more than 4,300 digits: a ValueError inside validation


def test_a_huge_int_literal_is_a_validation_error_of_the_query_api() -> None:
    document = parse(f"{{ products(first: {HUGE}) {{ edges {{ node {{ id }} }} }} }}")
    errors = validate_document(build_schema().graphql_schema, document)
    assert errors and all(e.original_error is None for e in errors)
    assert {format_error(e)["extensions"]["code"] for e in errors} == {"VALIDATION_ERROR"}


def test_a_huge_int_literal_is_a_validation_error_of_the_command_api() -> None:
    app, bus, _ = gateway()
    response = graphql(
        app.app,
        f"""mutation {{ receiveStock(input: {{inventoryId:
      "PRD-000001@TKY-01", quantity: 1}}, expectedVersion: {HUGE}) {{ version }} }}""",
    )
    assert response.status == 400
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert bus.sent == []


def test_ordinary_findings_keep_their_messages() -> None:
    document = parse("{ products(first: 1) { edges { node { nope } } } }")
    (error,) = validate_document(build_schema().graphql_schema, document)
    assert "nope" in error.message and error.locations
