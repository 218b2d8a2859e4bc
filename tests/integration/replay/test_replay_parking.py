"""A replay isolates an event the read model refuses as the live projector does, and a swap
keeps the rebuilt model's parked aggregates and records the journal epoch it came from."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.epoch import read_epoch
from connectors.dynamodb.tables import JOURNAL, ensure_tables
from connectors.eventstore.dynamodb_store import DynamoDBEventStore
from connectors.postgres import PostgresProjector
from connectors.postgres.isolation import Isolator
from connectors.replay import JournalChangedError, ReplayTarget, describe, read_batches, rebuild
from connectors.replay.journal import journal_batches, load_journal_events
from domain.inventory import events as ev
from domain.messages import aggregate_type_of
from schemas import EventEnvelope
from tests.integration.replay.helpers import create_topics, new_event, private_database, publish
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration
Envelope = EventEnvelope[Any]
TWO_BILLION = 2_000_000_000
REPLAY_ATTEMPTS = 2  # the live model below is built with 3: a row tells whose it is


def received(inventory_id: str, quantity: int, on_hand_after: int) -> ev.StockReceived_V1:
    product_id, _, zone_id = inventory_id.partition("@")
    return ev.StockReceived_V1(inventory_id, product_id, zone_id[:3], zone_id, quantity,
                               on_hand_after, 0, on_hand_after, None, None)  # fmt: skip


class Story:
    """Two healthy scenarios and an inventory whose third event overflows 在庫.現在庫数."""

    def __init__(self) -> None:
        self.healthy = [Scenario.fresh(), Scenario.fresh()]
        events = [e for s in self.healthy for e in s.full_story()]
        s = Scenario.fresh()
        self.poison = s.inventory(s.w1)
        product_id, _, zone_id = self.poison.partition("@")
        r = s.recorder
        r.record(ev.InventoryCreated_V1(self.poison, product_id, zone_id[:3], zone_id))
        r.record(received(self.poison, TWO_BILLION, TWO_BILLION))
        r.record(received(self.poison, TWO_BILLION, 2 * TWO_BILLION))  # refused: seq 3
        r.record(received(self.poison, 1, 2 * TWO_BILLION + 1))  # held back behind it
        self.events: list[Envelope] = events + r.envelopes


@pytest.fixture
def url(stack: Stack) -> Iterator[str]:
    with private_database(stack.settings.effective_database_url) as database_url:
        yield database_url


@pytest.fixture
def story() -> Story:
    return Story()


def live_model(url: str, events: list[Envelope]) -> None:
    """Project as the live agents do: small batches through the isolator (3 tries)."""
    isolator = Isolator(PostgresProjector.connect(url), None, 3, sleep=lambda _: None)
    for start in range(0, len(events), 5):
        isolator.apply(events[start : start + 5])
    isolator.projector.close()


def journal(stack: Stack, events: list[Envelope]) -> tuple[Any, str]:
    """Write the events into a journal of their own; return its client and table prefix."""
    client = dynamodb_client(stack.settings)
    prefix = f"rpp{uuid.uuid4().hex[:8]}-"
    ensure_tables(client, prefix)
    store = DynamoDBEventStore(client, JOURNAL.name(prefix))
    for e in events:
        store.append(e.meta.aggregate_id, aggregate_type_of(e.event), e.meta.sequence_nr - 1,
                     [new_event(e)], e.meta.causation_id, "corr")  # fmt: skip
    return client, prefix


def parked_rows(url: str, schema: str) -> dict[str, tuple[int, int]]:
    """Return 集約ID -> (保留シーケンス番号, 試行回数) of a schema's 投影保留."""
    query = sql.SQL("SELECT 集約ID, 保留シーケンス番号, 試行回数 FROM {}.投影保留").format(
        sql.Identifier(schema)
    )
    with psycopg.connect(url, autocommit=True) as conn:
        return {a: (seq, tries) for a, seq, tries in conn.execute(query).fetchall()}


def test_a_refused_event_parks_its_aggregate_and_the_rest_is_rebuilt(
    stack: Stack, url: str, story: Story
) -> None:
    live_model(url, story.events)
    client, prefix = journal(stack, story.events)
    grouped = load_journal_events(client, JOURNAL.name(prefix), segments=2)
    batches = journal_batches(grouped, batch_events=40)

    report = rebuild(ReplayTarget(url), batches, attempts=REPLAY_ATTEMPTS)

    assert [(p.aggregate_id, p.aggregate_type, p.sequence_nr, p.attempts) for p in report.parked
            ] == [(story.poison, "inventory", 3, REPLAY_ATTEMPTS)]  # fmt: skip
    assert report.parked[0].reason.startswith("NumericValueOutOfRange")
    assert report.held_back == 2
    assert report.stats.applied == len(story.events) - 2
    assert parked_rows(url, report.shadow) == {story.poison: (3, REPLAY_ATTEMPTS)}
    assert report.comparison is not None
    assert report.comparison.equal, describe(report.comparison)  # the live one parked it too


def test_a_swap_keeps_the_rebuilt_models_parking_and_records_the_journal_epoch(
    stack: Stack, url: str, story: Story
) -> None:
    live_model(url, story.events)
    healed, unreached = story.healthy[0].inventory(story.healthy[0].w2), story.healthy[1].product
    with psycopg.connect(url, autocommit=True) as conn:
        # parked live at an event the rebuilt model applies (the cause was fixed since)
        conn.execute("UPDATE 投影位置 SET 適用済シーケンス番号 = 1 WHERE 集約ID = %s", (healed,))
        park = ("INSERT INTO 投影保留 (集約ID, 集約種別, 保留シーケンス番号, イベントID, 理由,"
                " 試行回数) ")  # fmt: skip
        conn.execute(park + "VALUES (%s, 'inventory', 2, 'e-old', 'fixed since', 3)", (healed,))
        # parked live at an event after the replay's end: the live projector is past it
        conn.execute(park + "SELECT 集約ID, 集約種別, 適用済シーケンス番号 + 1, 'e-new', 'late', 3"
                     " FROM 投影位置 WHERE 集約ID = %s", (unreached,))  # fmt: skip
        after = conn.execute("SELECT 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = %s",
                             (unreached,)).fetchone()  # fmt: skip
        conn.execute("INSERT INTO 参照モデル世代 (ジャーナル世代) VALUES ('an-old-journal')")
    assert after is not None
    client, prefix = journal(stack, story.events)
    epoch = read_epoch(client, prefix)
    grouped = load_journal_events(client, JOURNAL.name(prefix), segments=2)
    target = ReplayTarget(url, journal_epoch=epoch,
                          read_journal_epoch=lambda: read_epoch(client, prefix))  # fmt: skip

    report = rebuild(target, journal_batches(grouped, 40), swap=True, attempts=REPLAY_ATTEMPTS)

    assert parked_rows(url, "public") == {
        story.poison: (3, REPLAY_ATTEMPTS),  # the rebuilt model's own row, not the live one
        unreached: (after[0] + 1, 3),
    }
    assert report.swapped and report.epoch == epoch is not None
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT ジャーナル世代 FROM 参照モデル世代").fetchall() == [(epoch,)]
        healed_at = conn.execute("SELECT 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = %s",
                                 (healed,)).fetchone()  # fmt: skip
    assert healed_at is not None and healed_at[0] > 1


def test_a_swap_is_refused_when_the_journal_started_over_after_the_replay_read_it(
    url: str, story: Story
) -> None:
    live_model(url, story.events)
    target = ReplayTarget(url, journal_epoch="read", read_journal_epoch=lambda: "started-over")
    with pytest.raises(JournalChangedError):
        rebuild(target, [story.events], swap=True, attempts=REPLAY_ATTEMPTS)
    assert parked_rows(url, "public") == {story.poison: (3, 3)}  # the live model, untouched


def test_a_replay_of_the_topics_parks_too_and_its_swap_keeps_the_live_models_epoch(
    stack: Stack, url: str, story: Story
) -> None:
    live_model(url, story.events)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO 参照モデル世代 (ジャーナル世代) VALUES ('the-live-journal')")
    bootstrap = stack.settings.kafka_bootstrap_servers
    topics = create_topics(bootstrap)
    publish(bootstrap, topics, story.events)

    report = rebuild(ReplayTarget(url), read_batches(bootstrap, topics, 40), swap=True,
                     attempts=REPLAY_ATTEMPTS)  # fmt: skip

    assert [p.aggregate_id for p in report.parked] == [story.poison]
    assert parked_rows(url, "public") == {story.poison: (3, REPLAY_ATTEMPTS)}
    assert report.swapped and report.epoch == "the-live-journal"
