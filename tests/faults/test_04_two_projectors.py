"""Two projectors apply the same events (each its own group): every event counts once."""

from __future__ import annotations

import pytest

from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration
COMMANDS = 1500


def test_two_projectors_on_the_same_events_count_each_event_once(scenario: Scenario) -> None:
    """The second projector runs in a group of its own, so every event reaches both at about
    the same time: the harshest redelivery, and the one where both see an aggregate's
    first events (no 投影位置 row yet to lock). Started before the world exists."""
    second = scenario.stack.spawn("projector", {"ZAIKO_PROJECTOR_ID": "zaiko-projections-b"})
    try:
        world = scenario.world(products=10)
        scenario.flood.send(world.movements(COMMANDS, seed=4))
        counts = scenario.verify()
    finally:
        scenario.stack.retire(second)
    assert not counts.problems(), counts.problems()
