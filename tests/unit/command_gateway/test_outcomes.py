"""What a mutation sends, and how each kind of outcome reaches the client."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from command_gateway.api.commands import INTERNAL_COMMANDS, PUBLIC_COMMANDS
from command_gateway.ports import KafkaUnavailableError
from domain.messages import COMMANDS
from schemas import CommandEnvelope
from tests.unit.command_gateway.fakes import FakeCommandBus, codes, gateway, graphql, reject

RECEIVE = """mutation($key: String, $version: Int) { receiveStock(input: {inventoryId:
  "PRD-000001@TKY-01", quantity: 24, operator: "山田"}, idempotencyKey: $key,
  expectedVersion: $version) { commandId aggregateType aggregateId version eventTypes
  consistencyToken } }"""


def test_an_accepted_command_returns_its_version_and_a_consistency_token() -> None:
    app, bus, _ = gateway()
    response = graphql(app.app, RECEIVE, {"key": "order-42:receive", "version": 3})
    assert response.json()["data"]["receiveStock"] == {
        "commandId": "order-42:receive", "aggregateType": "inventory",
        "aggregateId": "PRD-000001@TKY-01", "version": 1, "eventTypes": ["SomethingHappened_V1"],
        "consistencyToken": "PRD-000001@TKY-01:1",
    }  # fmt: skip
    (sent,) = bus.sent
    assert sent.meta.command_id == sent.meta.correlation_id == "order-42:receive"
    assert sent.meta.aggregate_id == "PRD-000001@TKY-01"
    assert sent.meta.expected_version == 3
    assert sent.meta.channel == "graphql"
    assert (sent.command.quantity, sent.command.operator) == (24, "山田")


def test_without_an_idempotency_key_every_mutation_gets_a_fresh_command_id() -> None:
    app, bus, _ = gateway()
    graphql(app.app, RECEIVE)
    graphql(app.app, RECEIVE)
    assert len({e.meta.command_id for e in bus.sent}) == 2


def test_a_rejection_carries_the_domain_code_and_message() -> None:
    app, _, _ = gateway(FakeCommandBus(reject("INSUFFICIENT_STOCK", "only 3 available")))
    error = graphql(app.app, RECEIVE).json()["errors"][0]
    assert error["message"] == "only 3 available"
    assert error["extensions"]["code"] == "REJECTED"
    assert error["extensions"]["reason"] == "INSUFFICIENT_STOCK"
    assert error["extensions"]["aggregateId"] == "PRD-000001@TKY-01"


def test_a_reused_idempotency_key_is_its_own_typed_error() -> None:
    app, _, _ = gateway(FakeCommandBus(reject("IDEMPOTENCY_KEY_REUSED", "used by another")))
    error = graphql(app.app, RECEIVE, {"key": "order-42"}).json()["errors"][0]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert error["extensions"]["reason"] == "IDEMPOTENCY_KEY_REUSED"
    assert error["extensions"]["commandId"] == "order-42"


def test_the_worker_and_the_gateway_spell_the_reused_key_code_alike() -> None:
    from command_gateway.errors import IDEMPOTENCY_KEY_REUSED
    from streams.handling.outcomes import IDEMPOTENCY_KEY_REUSED as WORKERS

    assert IDEMPOTENCY_KEY_REUSED == WORKERS


def test_no_outcome_in_time_is_a_timeout_that_says_the_command_may_still_apply() -> None:
    app, _, _ = gateway(FakeCommandBus(lambda _: None), command_timeout_s=0.5)
    error = graphql(app.app, RECEIVE, {"key": "k-7"}).json()["errors"][0]
    assert error["extensions"] == {
        "code": "TIMEOUT", "commandId": "k-7", "aggregateId": "PRD-000001@TKY-01"
    }  # fmt: skip
    assert "may still apply" in error["message"]


def test_kafka_down_is_unavailable_and_says_nothing_was_sent() -> None:
    def down(_: CommandEnvelope[Any]) -> None:
        raise KafkaUnavailableError("Kafka at x:1 is unreachable")

    app, _, _ = gateway(FakeCommandBus(down))
    error = graphql(app.app, RECEIVE).json()["errors"][0]
    assert error["extensions"]["code"] == "UNAVAILABLE"
    assert "not sent" in error["message"]


def test_an_unexpected_exception_is_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    def broken(_: CommandEnvelope[Any]) -> None:
        raise RuntimeError("secret connection string postgres://u:pw@h")

    app, _, _ = gateway(FakeCommandBus(broken))
    with caplog.at_level(logging.ERROR):
        response = graphql(app.app, RECEIVE)
    assert codes(response) == ["INTERNAL_ERROR"]
    assert "secret" not in response.body.decode() and "Traceback" not in response.body.decode()
    assert "secret connection string" in caplog.text


def test_every_public_command_has_its_mutation_and_the_transfer_steps_do_not() -> None:
    app, _, _ = gateway()
    mutations = app.endpoint.schema.graphql_schema.mutation_type.fields
    assert set(PUBLIC_COMMANDS) == set(COMMANDS) - INTERNAL_COMMANDS
    for name in COMMANDS:
        field = name[0].lower() + name[1:]
        assert (field in mutations) == (name not in INTERNAL_COMMANDS), name
    assert {"createCompany", "updateCompany", "deleteCompany"} <= set(mutations)


def test_health_is_503_when_kafka_is_unreachable() -> None:
    from tests.unit.command_gateway.fakes import call

    app, _, _ = gateway(FakeCommandBus(up=False))
    response = call(app.app, "GET", "/api/health")
    assert response.status == 503
    assert response.json()["kafka"]["reachable"] is False
    up, _, _ = gateway()
    assert call(up.app, "GET", "/api/health").status == 200


def test_graphiql_is_served_on_get() -> None:
    from tests.unit.command_gateway.fakes import call

    app, _, _ = gateway()
    response = call(app.app, "GET", "/api/graphql")
    assert response.status == 200
    assert b"graphiql" in response.body.lower()


@pytest.mark.parametrize("correlation", ["c" * 129, "line\nbreak", "bell\x07"])
def test_a_correlation_id_events_cannot_carry_is_a_validation_error(correlation: str) -> None:
    app, bus, _ = gateway()
    query = RECEIVE.replace("$version: Int)", "$version: Int, $c: String)").replace(
        "expectedVersion: $version)", "expectedVersion: $version, correlationId: $c)"
    )
    error = graphql(app.app, query, {"c": correlation}).json()["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_ERROR"
    assert bus.sent == []


def test_a_correlation_id_at_its_bound_is_sent() -> None:
    app, bus, _ = gateway()
    query = RECEIVE.replace("$version: Int)", "$version: Int, $c: String)").replace(
        "expectedVersion: $version)", "expectedVersion: $version, correlationId: $c)"
    )
    assert "errors" not in graphql(app.app, query, {"c": "c" * 128}).json()
    assert bus.sent[0].meta.correlation_id == "c" * 128
