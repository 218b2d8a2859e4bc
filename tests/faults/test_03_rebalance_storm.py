"""A rebalance storm: three workers join, are killed and leave while commands flow."""

from __future__ import annotations

import threading

import pytest

from tests.faults.harness.deadline import DeadlineError
from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration
COMMANDS, RATE = 2400, 60.0  # 40 s of commands: the storm happens during the flood


def test_a_rebalance_storm_with_three_workers_loses_and_doubles_nothing(
    scenario: Scenario,
) -> None:
    # stock enough that no movement of the flood can be refused: any refusal is wrong
    world = scenario.world(products=10, stock=5000)
    flow = world.movements(COMMANDS, seed=33)
    sender = threading.Thread(target=scenario.flood.send, args=(flow, RATE), daemon=True)
    sender.start()
    stack = scenario.stack
    first = stack.service("worker")
    steps = []
    second = stack.spawn("worker")
    steps.append(f"+w2 {second.pid}")
    third = stack.spawn("worker")
    steps.append(f"+w3 {third.pid}")
    try:
        steps.append(f"w1 SIGTERM, exited in {first.terminate(30):.0f} s")
    except DeadlineError:  # a shutdown hung in the rebalance: noted, then as an operator would
        first.kill9()
        steps.append("w1 SIGTERM, still running after 30 s, kill -9")
    second.kill9()
    steps.append("w2 kill -9")
    steps.append(f"w1 back in {first.start():.0f} s")
    stack.retire(third)
    steps.append("w3 SIGTERM")
    stack.retire(second)
    sender.join(COMMANDS / RATE + 60)
    assert not sender.is_alive(), "the flood did not finish"
    scenario.counts.notes.append(" → ".join(steps))
    scenario.mark("storm")

    counts = scenario.verify()
    assert not counts.rejected, f"refused on stale state: {dict(counts.rejected)}"
    scenario.assert_consistent()
