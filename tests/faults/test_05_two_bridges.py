"""Two bridges on one journal: each event is published once; when one dies the other goes on."""

from __future__ import annotations

import pytest

from tests.faults.harness.scenario import Scenario
from tests.faults.harness.topics import published

pytestmark = pytest.mark.integration
COMMANDS = 1000


def test_two_bridges_publish_each_event_once_and_one_survives_the_others_death(
    scenario: Scenario,
) -> None:
    stack, bootstrap = scenario.stack, scenario.settings.kafka_bootstrap_servers
    first, second = stack.service("bridge"), stack.spawn("bridge")  # both with default settings
    try:
        calm = scenario.world(products=5)
        scenario.flood.send(calm.movements(COMMANDS, seed=5))
        scenario.outcomes.wait(set(scenario.flood.sent), 120, "the first flood's outcomes")
        journal = scenario.settle()
        events = {(a, e.seq_nr) for a in calm.aggregates for e in journal.events(a)}
        copies = published(bootstrap, calm.aggregates, len(events), 90)
        doubled = sum(1 for n in copies.values() if n > 1)
        missing = len(events - copies.keys())
        scenario.mark("both bridges")

        first.kill9()  # whichever holds the lease (if any), the other must carry on
        after = scenario.world(products=5)
        scenario.flood.send(after.movements(COMMANDS, seed=55))
        counts = scenario.verify()
        journal = scenario.journal(after.aggregates)
        events_after = {(a, e.seq_nr) for a in after.aggregates for e in journal.events(a)}
        copies_after = published(bootstrap, after.aggregates, len(events_after), 90)
        missing_after = len(events_after - copies_after.keys())
    finally:
        stack.retire(second)
        first.start()
    counts.notes.append(f"both alive: {len(events)} events, {doubled} published twice,"
                        f" {missing} never; after kill -9: {missing_after} never")  # fmt: skip
    print(counts.notes[-1])
    assert (doubled, missing) == (0, 0), "two live bridges published events twice or never"
    assert missing_after == 0, "after one bridge died some events never reached Kafka"
    scenario.assert_consistent()
