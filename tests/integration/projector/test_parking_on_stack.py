"""A poison event on the topic parks its aggregate in a running projector; the rest flows on."""

from __future__ import annotations

import json
import re
from typing import Any

import psycopg
import pytest

from compose.stack import Stack
from connectors.audit import run_audit
from connectors.dynamodb.client import dynamodb_client
from connectors.eventstore import NewEvent
from connectors.eventstore.wiring import build_stores
from connectors.postgres.parking import find_parked
from domain.messages import aggregate_type_of
from schemas import DEAD_LETTER_TOPIC, EventEnvelope, encode
from tests.integration.projections.test_parking import TWO_BILLION, created, received
from tests.integration.projector.helpers import (
    ProjectorProcess,
    committed_past,
    positions,
    produce_events,
    wait_until,
)
from tests.integration.streams.kafka_io import TopicReader
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration
TIMEOUT_S = 60
HEADERS = [("zaiko-correlation-id", b"corr-poison"), ("x-channel", b"edi")]


@pytest.fixture(scope="module")
def url(stack: Stack) -> str:
    return stack.settings.effective_database_url


def parked_row(url: str, aggregate_id: str) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        return find_parked(conn, aggregate_id)


def dead_letters(bootstrap: str, key: bytes, at_least: int, timeout_s: float) -> list[Any]:
    reader = TopicReader(bootstrap, DEAD_LETTER_TOPIC)
    try:
        return reader.read_until(lambda m: m.key() == key, lambda k: len(k) >= at_least, timeout_s)
    finally:
        reader.close()


def journal(stack: Stack, envelopes: list[EventEnvelope[Any]]) -> None:
    """Append events to the event store, one entry each (the bridge is not running here)."""
    store = build_stores(dynamodb_client(stack.settings), stack.settings.table_prefix).events
    for e in envelopes:
        new = NewEvent(e.meta.event_id, type(e.event).__name__, encode(e), 0)
        store.append(e.meta.aggregate_id, aggregate_type_of(e.event), e.meta.sequence_nr - 1,
                     [new], e.meta.causation_id, "corr")  # fmt: skip


def test_an_overflowing_receipt_parks_one_inventory_and_every_other_keeps_projecting(
    projector: ProjectorProcess, stack: Stack, url: str
) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    s = Scenario.fresh()
    poison, healthy = s.inventory(s.w1), s.inventory(s.w2)
    r = s.recorder
    r.record(created(poison), created(healthy), received(poison, TWO_BILLION, TWO_BILLION))
    r.record(received(poison, TWO_BILLION, 2 * TWO_BILLION), received(healthy, 3, 3))
    refused = r.envelopes[-2]
    produce_events(bootstrap, r.envelopes, HEADERS)
    wait_until(lambda: parked_row(url, poison) is not None, TIMEOUT_S, "the inventory to park")
    wait_until(lambda: positions(url, [healthy]) == {healthy: 2}, TIMEOUT_S, "the healthy one")

    parked = parked_row(url, poison)
    assert (parked.sequence_nr, parked.event_id) == (3, refused.meta.event_id)
    assert positions(url, [poison]) == {poison: 2}
    [letter] = dead_letters(bootstrap, poison.encode(), 1, TIMEOUT_S)
    headers = {k: bytes(v) for k, v in letter.headers() or []}
    assert letter.value() == encode(refused)
    assert headers["zaiko-correlation-id"] == b"corr-poison" and headers["x-channel"] == b"edi"
    assert headers["zaiko-dlq-reason"].startswith(b"ProjectionParked: NumericValueOutOfRange")
    assert headers["zaiko-dlq-source-topic"] == b"inventory.events"
    assert '"event": "projection_parked"' in projector.log_text() or "projection parked" in (
        projector.log_text()
    )

    # Later events: the parked inventory's wait in the journal; the healthy one's apply.
    r.record(received(poison, 1, 1), received(healthy, 4, 7))
    last = produce_events(bootstrap, r.envelopes[-2:], HEADERS)
    wait_until(lambda: committed_past(bootstrap, projector.projector_id, last), TIMEOUT_S,
               "the projector to commit the later events")  # fmt: skip
    assert positions(url, [poison, healthy]) == {poison: 2, healthy: 3}
    assert len(dead_letters(bootstrap, poison.encode(), 2, 3)) == 1  # no letter per later event

    listed = projector.cli("projector", "parked", "--json")
    assert listed.returncode == 0, listed.stderr
    assert poison in {p["aggregate_id"] for p in json.loads(listed.stdout)}

    status = stack.status_json()["projection"]
    assert status["parked"] >= 1 and poison in {p["aggregate_id"] for p in status["aggregates"]}

    # A retry cannot help an integer overflow: it stays parked, with one more round of tries.
    journal(stack, [e for e in r.envelopes if e.meta.aggregate_id == poison])
    retried = projector.cli("projector", "retry", poison)
    assert retried.returncode == 1, retried.stdout + retried.stderr
    assert parked_row(url, poison).attempts == 6

    report = run_audit(stack.settings, match=f"^{re.escape(poison)}$")
    assert ("投影保留", poison) in {(d.check, d.subject) for d in report.differences}


def test_a_gap_the_journal_fills_later_is_healed_by_a_retry_that_unparks(
    projector: ProjectorProcess, stack: Stack, url: str
) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    s = Scenario.fresh()
    lonely = s.inventory(s.w1)
    s.recorder.record(created(lonely), received(lonely, 5, 5), received(lonely, 5, 10))
    s.recorder.record(received(lonely, 1, 11))
    story = s.recorder.envelopes
    produce_events(bootstrap, story[2:3])  # events 1 and 2 are nowhere yet: an unfillable gap
    wait_until(lambda: parked_row(url, lonely) is not None, TIMEOUT_S, "the gap to park")
    assert parked_row(url, lonely).reason.startswith("GapError")
    last = produce_events(bootstrap, story[3:])  # held: the aggregate is parked
    wait_until(lambda: committed_past(bootstrap, projector.projector_id, last), TIMEOUT_S,
               "the projector to pass the held event")  # fmt: skip
    assert positions(url, [lonely]) == {}

    journal(stack, story)
    retried = projector.cli("projector", "retry", lonely)

    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert positions(url, [lonely]) == {lonely: 4}
    assert parked_row(url, lonely) is None
    assert projector.cli("projector", "retry", lonely).returncode == 2  # not parked any more
