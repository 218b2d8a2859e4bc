"""Replay rebuilds the read model from the topics or the journal, compares it and swaps it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import JOURNAL, ensure_tables
from connectors.eventstore.dynamodb_store import DynamoDBEventStore
from connectors.postgres import PostgresProjector
from connectors.redis import CacheReader, VersionedStore, redis_client
from connectors.replay import ReplayTarget, compare_schemas, describe, read_batches, rebuild
from connectors.replay.journal import journal_batches, load_journal_events
from domain.messages import aggregate_type_of
from schemas import EventEnvelope
from tests.integration.replay.helpers import create_topics, new_event, private_database, publish
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration


@pytest.fixture
def url(stack: Stack) -> Iterator[str]:
    with private_database(stack.settings.effective_database_url) as database_url:
        yield database_url


@pytest.fixture(scope="module")
def story() -> tuple[list[Scenario], list[EventEnvelope[Any]]]:
    scenarios = [Scenario.fresh() for _ in range(3)]
    return scenarios, [e for s in scenarios for e in s.full_story()]


def live_model(url: str, events: list[EventEnvelope[Any]]) -> None:
    projector = PostgresProjector.connect(url)
    for start in range(0, len(events), 5):  # small batches, as the live agents apply them
        projector.apply_batch(events[start : start + 5])
    projector.close()


def test_replay_from_the_topics_equals_the_live_model(stack: Stack, url: str, story: Any) -> None:
    _, events = story
    live_model(url, events)
    bootstrap = stack.settings.kafka_bootstrap_servers
    topics = create_topics(bootstrap)
    publish(bootstrap, topics, events + events[:7])  # a redelivered prefix changes nothing
    progress: list[tuple[int, int]] = []
    batches = read_batches(bootstrap, topics, 16, on_progress=lambda *p: progress.append(p))
    report = rebuild(ReplayTarget(url), batches)
    assert report.comparison is not None and describe(report.comparison) == []
    assert (report.stats.applied, report.stats.skipped) == (len(events), 7)
    assert progress[-1] == (len(events) + 7, len(events) + 7)  # the fetch high watermarks
    assert not report.swapped


def test_replay_from_the_event_store_equals_the_live_model(
    stack: Stack, url: str, story: Any
) -> None:
    _, events = story
    live_model(url, events)
    client = dynamodb_client(stack.settings)
    prefix = f"rp{uuid.uuid4().hex[:8]}-"
    ensure_tables(client, prefix)
    store = DynamoDBEventStore(client, JOURNAL.name(prefix))
    for e in events:
        store.append(e.meta.aggregate_id, aggregate_type_of(e.event), e.meta.sequence_nr - 1,
                     [new_event(e)], e.meta.causation_id, "corr")  # fmt: skip
    grouped = load_journal_events(client, JOURNAL.name(prefix), segments=3)
    report = rebuild(ReplayTarget(url), journal_batches(grouped, batch_events=10))
    comparison = report.comparison
    assert comparison is not None
    assert comparison.equal, describe(comparison)
    assert report.stats.applied == len(events)


def damage(conn: psycopg.Connection[Any], s: Scenario) -> str:
    """Lose one ledger row and inflate one stock figure, as a buggy projector might."""
    conn.execute("DELETE FROM 受払履歴 WHERE 在庫ID = %s AND シーケンス番号 = 2",
                 (s.inventory(s.w1),))  # fmt: skip
    conn.execute("UPDATE 在庫 SET 現在庫数 = 現在庫数 + 1 WHERE 在庫ID = %s", (s.inventory(s.w2),))
    return s.inventory(s.w2)


def test_the_comparison_names_what_differs(stack: Stack, url: str, story: Any) -> None:
    scenarios, events = story
    live_model(url, events)
    with psycopg.connect(url, autocommit=True) as conn:
        damaged = damage(conn, scenarios[0])
    bootstrap = stack.settings.kafka_bootstrap_servers
    topics = create_topics(bootstrap)
    publish(bootstrap, topics, events)
    report = rebuild(ReplayTarget(url), read_batches(bootstrap, topics))
    assert report.comparison is not None and not report.comparison.equal
    different = {d.table: d for d in report.comparison.differences}
    assert set(different) == {"受払履歴", "在庫"}
    assert (different["受払履歴"].left.rows, different["受払履歴"].right.rows) == (
        different["受払履歴"].right.rows - 1, different["受払履歴"].right.rows)  # fmt: skip
    assert different["在庫"].only_left == [(damaged,)] == different["在庫"].only_right
    assert any(damaged in line for line in describe(report.comparison))


def test_swap_makes_the_rebuilt_model_live_and_refills_the_cache(
    stack: Stack, url: str, story: Any
) -> None:
    scenarios, events = story
    live_model(url, events)
    with psycopg.connect(url, autocommit=True) as conn:
        damage(conn, scenarios[1])
        company = "INSERT INTO 企業 (企業ID, 企業名, 企業種別) VALUES ('CMP-9001', 'D商事', '自社')"
        conn.execute(company)  # CRUD master data: no event rebuilds it, the swap carries it
    bootstrap = stack.settings.kafka_bootstrap_servers
    topics = create_topics(bootstrap)
    publish(bootstrap, topics, events)
    cache, prefix = redis_client(stack.settings), f"rp{uuid.uuid4().hex[:8]}"
    s = scenarios[1]
    cache.set(f"{prefix}:product:{s.product}", "stale garbage")  # rebuilt from scratch
    target = ReplayTarget(url, redis=cache, redis_prefix=prefix)
    swapped = rebuild(target, read_batches(bootstrap, topics), swap=True)
    assert swapped.swapped and swapped.backup.startswith("public_backup_")
    assert swapped.comparison is not None and not swapped.comparison.equal
    with psycopg.connect(url, autocommit=True) as conn:
        schemas = "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s"
        assert conn.execute(schemas, (swapped.shadow,)).fetchone() == (0,)  # renamed to public
    again = rebuild(ReplayTarget(url), read_batches(bootstrap, topics))
    comparison = again.comparison
    assert comparison is not None
    assert comparison.equal, describe(comparison)
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT 企業名 FROM 企業").fetchall() == [("D商事",)]
        backup = compare_schemas(conn, swapped.backup, "public")
    assert {d.table for d in backup.differences} == {"受払履歴", "在庫"}  # the old, damaged one
    reader = CacheReader(VersionedStore(cache), prefix)
    product = reader.get_product(s.product)
    assert product is not None and product.value["商品名"] == "緑茶 500ml"
    stock = reader.get_inventory(s.product)
    assert stock is not None
    assert {zone: v.value["現在庫数"] for zone, v in stock.items()} == {
        f"{s.w1}-01": 50, f"{s.w2}-01": 25}  # fmt: skip
