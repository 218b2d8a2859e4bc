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

    early = first.wedged_in_a_group()  # no use waiting two minutes for a wedged group
    counts = scenario.verify(answer_timeout_s=30 if early else 120)
    assert not counts.rejected, f"refused on stale state: {dict(counts.rejected)}"
    if wedged := first.wedged_in_a_group():
        # the broker stopped handing out partitions: what was processed must still be right
        allowed = ("got no outcome", "units of transfers never settled")
        unexpected = [p for p in counts.problems() if not any(a in p for a in allowed)]
        assert not unexpected, f"{counts.line()}\n" + "\n".join(unexpected)
        scenario.stack.needs_rebuild = True
        pytest.xfail(f"Tansu's group coordinator wedged the consumer group ({wedged}); "
                     f"nothing processed was lost or doubled: {counts.line()}")  # fmt: skip
    scenario.assert_consistent()
