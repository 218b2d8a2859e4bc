"""The embedded DynamoDB stops answering for 2 s (SIGSTOP) in the middle of a flood."""

from __future__ import annotations

import contextlib
import time

import pytest

from tests.faults.harness.deadline import DeadlineError, hold
from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration
COMMANDS, PAUSE_S = 2000, 2.0


def test_a_two_second_dynamodb_pause_loses_and_doubles_nothing(scenario: Scenario) -> None:
    world = scenario.world(products=10)
    ids = set(scenario.flood.send(world.movements(COMMANDS, seed=6)))
    scenario.outcomes.wait_count(ids, COMMANDS // 5, 90)
    dynamodb = scenario.stack.infra("dynamodb")
    dynamodb.pause()
    try:
        hold(PAUSE_S)
    finally:
        dynamodb.resume()
    resumed = time.monotonic()
    before = len(scenario.outcomes.answered(ids))
    flowing = scenario.outcomes.wait_count(ids, min(before + 50, COMMANDS), 60)
    scenario.counts.notes.append(f"paused at {before}/{COMMANDS} answered; 50 more answered"
                                 f" {flowing:.1f} s after SIGCONT")  # fmt: skip
    with contextlib.suppress(DeadlineError):  # verify counts the unanswered
        scenario.outcomes.wait(ids, 120)
        scenario.counts.notes.append(f"all answered {time.monotonic() - resumed:.1f} s after"
                                     " SIGCONT")  # fmt: skip
    scenario.verify()
    scenario.assert_consistent()
