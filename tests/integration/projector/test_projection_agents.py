"""The projection agents, fed directly on the event topics (no bridge runs in this module)."""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.eventstore import NewEvent
from connectors.eventstore.wiring import build_stores
from connectors.postgres import PostgresProjector
from connectors.redis import CacheReader, Versioned, VersionedStore, redis_client
from domain.messages import aggregate_type_of
from schemas import DEAD_LETTER_TOPIC, EventEnvelope, encode
from tests.integration.projections.readmodel import snapshot
from tests.integration.projections.test_projector import interleaved_twice
from tests.integration.projector.helpers import (
    ProjectorProcess,
    committed_past,
    last_seqs,
    positions,
    produce_events,
    projected,
    wait_until,
)
from tests.integration.streams.kafka_io import TopicReader, send_raw
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def url(stack: Stack) -> str:
    return stack.settings.effective_database_url


@pytest.fixture(scope="module")
def reference(url: str) -> dict[str, Any]:
    """The read model of the story applied once, in order, by the projector library."""
    s = Scenario.fresh()
    projector = PostgresProjector.connect(url)
    try:
        projector.apply_batch(s.full_story())
    finally:
        projector.close()
    with psycopg.connect(url, autocommit=True) as conn:
        return snapshot(conn, s)


def model_of(url: str, s: Scenario) -> dict[str, Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        return snapshot(conn, s)


def test_every_event_delivered_twice_interleaved_gives_the_same_model(
    projector: ProjectorProcess, stack: Stack, url: str, reference: dict[str, Any]
) -> None:
    s = Scenario.fresh()
    story = s.full_story()
    produce_events(stack.settings.kafka_bootstrap_servers, interleaved_twice(story))
    wait_until(projected(url, last_seqs(story)), TIMEOUT_S, "the story to be projected")
    assert model_of(url, s) == reference


def test_a_gap_on_the_topic_is_healed_from_the_event_store(
    projector: ProjectorProcess, stack: Stack, url: str, reference: dict[str, Any]
) -> None:
    s = Scenario.fresh()
    story = s.full_story()
    journal = build_stores(dynamodb_client(stack.settings), stack.settings.table_prefix).events
    for e in story:
        new = NewEvent(e.meta.event_id, type(e.event).__name__, encode(e), 0)
        journal.append(e.meta.aggregate_id, aggregate_type_of(e.event), e.meta.sequence_nr - 1,
                       [new], e.meta.causation_id, "corr")  # fmt: skip
    src = s.inventory(s.w1)
    lost = [e for e in story if e.meta.aggregate_id == src and 3 <= e.meta.sequence_nr <= 6]
    produce_events(stack.settings.kafka_bootstrap_servers, [e for e in story if e not in lost])
    wait_until(projected(url, last_seqs(story)), TIMEOUT_S, "the story to be projected")
    assert model_of(url, s) == reference
    assert f"gap in {src}" in projector.log_text()


@pytest.fixture
def cache_reader(stack: Stack, projector: ProjectorProcess) -> Iterator[CacheReader]:
    client = redis_client(stack.settings)
    yield CacheReader(VersionedStore(client), projector.cache_prefix)
    client.close()


def cached(reader: CacheReader, s: Scenario, aggregate_id: str) -> Versioned | None:
    if aggregate_id == s.product:
        return reader.get_product(aggregate_id)
    if "@" in aggregate_id:
        product, _, zone = aggregate_id.partition("@")
        return reader.get_inventory_in_zone(product, zone)
    if "-" in aggregate_id:
        return reader.get_zone(aggregate_id)
    return reader.get_warehouse(aggregate_id)


def assert_cache_not_older(url: str, reader: CacheReader, s: Scenario, ids: list[str]) -> int:
    """Assert every cached entry has the read model's version and figures; return the hits."""
    model = positions(url, ids)
    with psycopg.connect(url, autocommit=True) as conn:
        stock = dict(conn.execute(
            "SELECT 在庫ID, 有効在庫数 FROM 在庫 WHERE 商品ID = %s", (s.product,)
        ).fetchall())  # fmt: skip
    hits = 0
    for aggregate_id in ids:
        entry = cached(reader, s, aggregate_id)
        if entry is None:
            continue
        hits += 1
        assert entry.version == model[aggregate_id], aggregate_id
        if aggregate_id in stock:
            assert entry.value["有効在庫数"] == stock[aggregate_id], aggregate_id
    return hits


def test_the_cache_is_never_older_than_the_read_model_once_events_are_acked(
    projector: ProjectorProcess, stack: Stack, url: str, cache_reader: CacheReader
) -> None:
    rng, s = random.Random(7), Scenario.fresh()
    story = s.full_story()
    ids = sorted(last_seqs(story))
    bootstrap = stack.settings.kafka_bootstrap_servers
    half = len(story) // 2
    deliveries: list[list[EventEnvelope[Any]]] = [
        story[:half],
        [e for e in story[half:] for _ in range(rng.choice((1, 1, 2)))],
        story[: half + 3],  # a late redelivery of old events, after newer ones were cached
    ]
    hits = 0
    for round_ in deliveries:
        last = produce_events(bootstrap, round_)
        done = functools.partial(committed_past, bootstrap, projector.projector_id, last)
        wait_until(done, TIMEOUT_S, "the projector to commit the round")
        hits += assert_cache_not_older(url, cache_reader, s, ids)
    assert positions(url, ids) == last_seqs(story)
    assert hits >= len(ids)  # entries were compared, not only misses


def test_an_undecodable_event_goes_to_dead_letter(
    projector: ProjectorProcess, stack: Stack
) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    key = f"PRD-{random.randrange(10**9):09d}".encode()
    send_raw(bootstrap, "product.events", key, b"\xc3\x01not an event")
    reader = TopicReader(bootstrap, DEAD_LETTER_TOPIC)
    try:
        found = reader.read_until(lambda m: m.key() == key, lambda kept: bool(kept), TIMEOUT_S)
    finally:
        reader.close()
    assert found, "no dead letter"
    headers = {k: bytes(v).decode() for k, v in found[0].headers() or []}
    assert found[0].value() == b"\xc3\x01not an event"
    assert headers["zaiko-dlq-source-topic"] == "product.events"
    assert headers["zaiko-dlq-reason"].split(":")[0].endswith("Error")
