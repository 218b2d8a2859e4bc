"""The projector's notifications end to end: parked aggregates and projection delay.

One projector subprocess evaluating every 0.2 s with a 2 s delay threshold; events are
produced by hand (no bridge), as the projector's own integration tests do.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest

from compose.stack import Stack
from connectors.postgres.parking import find_parked
from tests.integration.notifications.reading import Notifications, distinct
from tests.integration.projections.test_parking import created, received
from tests.integration.projector.helpers import (
    ProjectorProcess,
    positions,
    produce_events,
    wait_until,
)
from tests.integration.projector.test_parking_on_stack import journal
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration
TIMEOUT_S = 60
DELAY_S = 2.0


@pytest.fixture(scope="module")
def projector(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectorProcess]:
    process = ProjectorProcess(stack.settings, tmp_path_factory.mktemp("notify-projector"))
    process.env.update({
        "ZAIKO_NOTIFY_INTERVAL_S": "0.2",
        "ZAIKO_PROJECTION_DELAY_THRESHOLD_S": str(DELAY_S),
        "ZAIKO_PROJECTION_DELAY_WINDOW_S": "0",
    })  # fmt: skip
    try:
        yield process.start()
    finally:
        process.stop()


@pytest.fixture
def notifications(stack: Stack) -> Iterator[Notifications]:
    reader = Notifications(stack.settings.kafka_bootstrap_servers)
    try:
        yield reader
    finally:
        reader.close()


def is_parked(url: str, aggregate_id: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        return find_parked(conn, aggregate_id) is not None


def test_a_parked_aggregate_is_raised_and_the_retry_that_unparks_it_clears_it(
    projector: ProjectorProcess, stack: Stack, notifications: Notifications
) -> None:
    url, bootstrap = stack.settings.effective_database_url, stack.settings.kafka_bootstrap_servers
    s = Scenario.fresh()
    lonely = s.inventory(s.w1)
    s.recorder.record(created(lonely), received(lonely, 5, 5), received(lonely, 5, 10))
    story = s.recorder.envelopes
    produce_events(bootstrap, story[2:3])  # events 1 and 2 are nowhere yet: a gap parks it
    wait_until(lambda: is_parked(url, lonely), TIMEOUT_S, "the gap to park the inventory")

    [raised] = notifications.wait_for(lonely, ["RAISED"], TIMEOUT_S, "AGGREGATE_PARKED")
    assert raised.severity.value == "CRITICAL" and "GapError" in raised.message
    assert story[2].meta.event_id in raised.message

    journal(stack, story)
    retried = projector.cli("projector", "retry", lonely)
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert positions(url, [lonely]) == {lonely: 3}
    found = notifications.wait_for(lonely, ["RAISED", "CLEARED"], TIMEOUT_S, "AGGREGATE_PARKED")
    assert distinct(found) == ["RAISED", "CLEARED"]
    assert found[-1].severity.value == "INFO"


def test_events_that_waited_for_a_stopped_projector_raise_a_delay_that_clears_when_caught_up(
    projector: ProjectorProcess, stack: Stack, notifications: Notifications
) -> None:
    url, bootstrap = stack.settings.effective_database_url, stack.settings.kafka_bootstrap_servers
    s = Scenario.fresh()
    inv = s.inventory(s.w1)
    s.recorder.record(created(inv), received(inv, 3, 3))
    projector.stop()
    try:
        produce_events(bootstrap, s.recorder.envelopes)
        time.sleep(DELAY_S + 1)  # the events age past the threshold: this is the fault itself
    finally:
        projector.start()
    wait_until(lambda: positions(url, [inv]) == {inv: 2}, TIMEOUT_S, "the events to project")
    subject = "projection:inventory"
    found = notifications.wait_for(subject, ["RAISED", "CLEARED"], TIMEOUT_S)
    raised, cleared = found[0], found[1]
    assert (raised.kind.value, raised.state.value) == ("PROCESSING_DELAYED", "RAISED")
    assert raised.observed is not None and raised.observed > DELAY_S
    assert cleared.state.value == "CLEARED" and raised.threshold == cleared.threshold == DELAY_S
