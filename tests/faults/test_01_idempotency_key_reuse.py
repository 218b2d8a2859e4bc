"""Idempotency key reuse: the same key on another aggregate or payload is refused, not replayed."""

from __future__ import annotations

import uuid

import pytest

from domain import ReceiveStock, TransferStockOut
from tests.faults.harness import api
from tests.faults.harness.flood import Flood, envelope
from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration
# the Command API's own error code, or REJECTED with the reason: either names the reuse
REUSED = {"IDEMPOTENCY_KEY_REUSED:IDEMPOTENCY_KEY_REUSED", "REJECTED:IDEMPOTENCY_KEY_REUSED"}


def test_a_reused_key_is_refused_and_changes_nothing(scenario: Scenario) -> None:
    world = scenario.world(products=2, stock=500)
    a, b, c, d = world.inventories
    port = scenario.settings.command_api_port
    key = f"reuse-{uuid.uuid4().hex}"

    first, errors = api.receive_stock(port, a, 10, key)
    assert not errors and first is not None, errors
    answers = {
        "same key, same command": api.receive_stock(port, a, 10, key),
        "same key, other aggregate": api.receive_stock(port, b, 7, key),
        "same key, other payload": api.receive_stock(port, a, 11, key),
    }
    # a partner on Kafka reusing a command id the same way
    side = Flood(scenario.settings.kafka_bootstrap_servers, scenario.outcomes)
    wire_key = f"reuse-{uuid.uuid4().hex}"
    side.send([envelope(ReceiveStock(c, 5), wire_key)])
    scenario.outcomes.wait({wire_key}, 60)
    side.send([envelope(ReceiveStock(d, 6), wire_key)])
    scenario.outcomes.wait_count({wire_key}, 1, 60)
    wire = _wait_for_answer_about(scenario, wire_key, d)
    # one transfer id from two sources (unique per source, as the contract allows): the
    # process manager's steps must not take one transfer's steps for the other's
    transfer_id = f"T-{uuid.uuid4().hex[:12]}"
    scenario.flood.send([TransferStockOut(i, transfer_id, world.twin(i), 3) for i in (a, b)])
    scenario.counts.notes.append(
        "; ".join(f"{k}: {v[1] or v[0]['aggregateId']}" for k, v in answers.items())
        + f"; wire reuse on {d}: {wire}"
    )

    journal = scenario.journal()
    holders = {i: [e.seq_nr for e in journal.events(i) if e.command_id in (key, wire_key)]
               for i in (a, b, c, d)}  # fmt: skip
    counts = scenario.verify()
    assert answers["same key, same command"] == (first, []), "a retry must get the same outcome"
    for case in ("same key, other aggregate", "same key, other payload"):
        assert len(answers[case][1]) == 1 and answers[case][1][0] in REUSED, answers
    assert wire == "REJECTED IDEMPOTENCY_KEY_REUSED", wire
    assert [len(holders[i]) for i in (a, b, c, d)] == [1, 0, 1, 0], holders
    assert not counts.problems(), counts.problems()


def _wait_for_answer_about(scenario: Scenario, command_id: str, aggregate_id: str) -> str:
    """Return the status and code of the outcome of ``command_id`` that names ``aggregate_id``."""
    try:
        scenario.outcomes.wait_for_aggregate(command_id, aggregate_id, 30)
    except AssertionError:
        copies = scenario.outcomes.seen(command_id)
        about = {s.outcome.aggregate_id for s in copies}
        return f"no outcome names {aggregate_id} ({len(copies)} about {about})"
    for seen in scenario.outcomes.seen(command_id):
        if seen.outcome.aggregate_id == aggregate_id:
            return f"{seen.outcome.status} {seen.outcome.error_code}"
    raise AssertionError("unreachable")
