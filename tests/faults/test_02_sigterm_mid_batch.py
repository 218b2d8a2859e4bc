"""SIGTERM mid-batch: the worker and the projector stop without acking what they did not do."""

from __future__ import annotations

import pytest

from tests.faults.harness.deadline import wait_for
from tests.faults.harness.readmodel import positions
from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration
COMMANDS = 3000


def test_sigterm_mid_batch_loses_no_command_and_no_event(scenario: Scenario) -> None:
    world = scenario.world(products=20)
    ids = set(scenario.flood.send(world.movements(COMMANDS, seed=3)))
    worker, projector = scenario.stack.service("worker"), scenario.stack.service("projector")

    scenario.outcomes.wait_count(ids, COMMANDS // 5, 90)
    at_term = len(scenario.outcomes.answered(ids))
    exit_s = worker.terminate(30)
    restart_s = worker.start()
    scenario.counts.notes.append(f"worker SIGTERM at {at_term}/{COMMANDS} answered, exited in"
                                 f" {exit_s:.1f} s, ready again in {restart_s:.1f} s")  # fmt: skip

    # the projector while it works through the flood's events
    url, inventories = scenario.url, world.inventories
    start = sum(positions(url, inventories).values())
    wait_for(lambda: sum(positions(url, inventories).values()) > start + COMMANDS // 10, 90,
             "the projector to be busy with the flood")  # fmt: skip
    exit_s = projector.terminate(30)
    restart_s = projector.start()
    scenario.counts.notes.append(f"projector SIGTERM mid-flood, exited in {exit_s:.1f} s,"
                                 f" ready again in {restart_s:.1f} s")  # fmt: skip

    scenario.verify()
    scenario.assert_consistent()
