"""The shared limits: cost with introspection, merge work, tokens, on both gateways' schemas."""

from __future__ import annotations

import time

import pytest
from graphql import GraphQLSchema, get_introspection_query, parse

from command_gateway.api.schema import build_schema as command_schema
from command_gateway.limits import request_limits as command_limits
from command_gateway.settings import CommandGatewaySettings
from connectors.graphql.cost import CAP
from connectors.graphql.limits import LimitExceededError, RequestLimits
from connectors.graphql.merging import merge_work
from query_gateway.limits import request_limits as query_limits
from query_gateway.schema import build_schema as query_schema
from query_gateway.settings import QueryGatewaySettings

ALIASED = "a{}: __schema {{ types {{ fields {{ type {{ ofType {{ name }} }} }} }} }}"
SIX_HUNDRED = "{" + " ".join(ALIASED.format(i) for i in range(600)) + "}"


def _both(**settings: int) -> dict[str, RequestLimits]:
    return {
        "command": command_limits(CommandGatewaySettings(**settings), command_schema()),
        "query": query_limits(QueryGatewaySettings(**settings), query_schema().graphql_schema),
    }


@pytest.fixture(scope="module", params=["command", "query"])
def limits(request: pytest.FixtureRequest) -> RequestLimits:
    return _both()[request.param]


def test_six_hundred_aliased_schema_introspections_are_refused_while_parsing(
    limits: RequestLimits, record_property: pytest.RecordProperty
) -> None:
    started = time.perf_counter()
    with pytest.raises(LimitExceededError) as raised:
        limits.parse(SIX_HUNDRED)
    record_property("refusal_ms", round((time.perf_counter() - started) * 1000, 1))
    assert raised.value.violation.limit == "tokens"


@pytest.mark.parametrize("gateway", ["command", "query"])
def test_without_the_token_cap_their_cost_refuses_them(gateway: str) -> None:
    limits = _both(max_query_tokens=100_000)[gateway]
    (violation,) = limits.check(limits.parse(SIX_HUNDRED), None, {})
    assert violation.limit == "complexity" and violation.value > 5 * violation.maximum


def test_graphiql_introspection_passes(limits: RequestLimits) -> None:
    query = get_introspection_query(
        descriptions=True, specified_by_url=True, directive_is_repeatable=True,
        schema_description=True, input_value_deprecation=True,
    )  # fmt: skip
    assert limits.check(limits.parse(query), None, {}) == []


def test_the_introspection_allowance_follows_the_schema() -> None:
    small = RequestLimits(_model(command_schema().graphql_schema), _both()["command"].limits)
    large = RequestLimits(_model(query_schema().graphql_schema), _both()["command"].limits)
    assert 0 < small.introspection_allowance != large.introspection_allowance


def _model(schema: GraphQLSchema) -> object:
    from connectors.graphql.cost import CostModel

    return CostModel(schema)


def test_a_fragment_bomb_is_priced_without_being_walked(limits: RequestLimits) -> None:
    bomb = "{ ...F0 }" + "".join(
        f" fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(60)
    ) + " fragment F60 on Query { __typename }"  # fmt: skip
    started = time.perf_counter()
    with pytest.raises(LimitExceededError) as raised:
        limits.parse(bomb)  # 2**60 __typename under one response name
    assert raised.value.violation.limit == "mergeWork"
    measured = limits.measure(parse(bomb), None, {})
    # walked, 2**60 fields would never end; priced, it takes milliseconds (10 s: any load)
    assert measured.introspection == CAP and time.perf_counter() - started < 10.0


@pytest.mark.parametrize(
    "query",
    [
        "{" + " __typename" * 100 + "}",
        "{" + " ... on Query { __typename }" * 100 + "}",
        "{ ...F ...F ...F ...F } fragment F on Query { " + "__typename " * 25 + "}",
    ],
)
def test_same_named_fields_cost_merge_work_and_aliases_do_not(query: str) -> None:
    aliased = "{" + " ".join(f"a{i}: __typename" for i in range(100)) + "}"
    assert merge_work(parse(aliased), 10**9) == 100
    assert merge_work(parse(query), 10**9) >= 100**2


def test_a_huge_first_literal_costs_the_cap_instead_of_failing() -> None:
    limits = _both()["query"]
    huge = "{ products(first: " + "9" * 5000 + ") { totalCount } }"
    (violation,) = limits.check(parse(huge), None, {})
    assert violation.limit == "complexity"


def test_cyclic_fragments_are_left_to_validation() -> None:
    limits = _both()["query"]
    cyclic = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }"
    assert limits.check(limits.parse(cyclic), None, {}) == []


@pytest.mark.parametrize(
    "query",
    [
        get_introspection_query(descriptions=True, input_value_deprecation=True),
        '{ a(x: "he said \\"hi\\" # not a comment { } ...", y: """a "" \\""" block""",'
        " z: -1.5e3, w: [1, 2], v: $v) @d(if: true) ...F } # a comment\n"
        "fragment F on T { b }",
        'mutation { createCompany(input: {name: "D商事 { } # ... ", capitalYen: 10}) { x } }',
    ],
)
def test_the_first_count_agrees_with_graphql_cores_lexer(query: str) -> None:
    from graphql import TokenKind
    from graphql.language.lexer import Lexer
    from graphql.language.source import Source

    from connectors.graphql.limits import _LEXEMES

    lexer, tokens, comments = Lexer(Source(query)), 0, query.count("# ")
    while lexer.advance().kind != TokenKind.EOF:
        tokens += 1
    assert tokens <= len(_LEXEMES.findall(query)) <= tokens + comments
