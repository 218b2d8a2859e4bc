"""PostgreSQL stops answering (SIGSTOP of the server and its backends) during a flood."""

from __future__ import annotations

import pytest

from tests.faults.harness.deadline import hold, wait_for
from tests.faults.harness.readmodel import positions
from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration
COMMANDS, PAUSE_S = 1500, 10.0


def test_a_postgres_pause_delays_the_read_model_and_loses_nothing(scenario: Scenario) -> None:
    world = scenario.world(products=10)
    ids = set(scenario.flood.send(world.movements(COMMANDS, seed=7)))
    url, inventories = scenario.url, world.inventories
    start = sum(positions(url, inventories).values())
    wait_for(lambda: sum(positions(url, inventories).values()) > start + COMMANDS // 10, 90,
             "the projector to be busy with the flood")  # fmt: skip
    postgres = scenario.stack.infra("postgres")
    answered_before = len(scenario.outcomes.answered(ids))
    postgres.pause()
    try:
        hold(PAUSE_S)
        answered_during = len(scenario.outcomes.answered(ids)) - answered_before
    finally:
        postgres.resume()
    scenario.counts.notes.append(f"{answered_during} commands answered while PostgreSQL was"
                                 f" paused {PAUSE_S:.0f} s")  # fmt: skip
    counts = scenario.verify()
    alive = scenario.stack.services_alive()
    assert all(alive.values()), f"a service died of the pause: {alive}"
    assert answered_during > 0 or counts.answered == counts.sent, (
        "the command path stopped while only the read model's database was paused"
    )
    scenario.assert_consistent()
