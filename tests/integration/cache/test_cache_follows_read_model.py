"""A cache entry is never older than the read model once the projection acknowledged an event.

The wiring under test: Postgres first, then the cache (invalidate-only when Postgres says
SKIPPED), then ack. Deliveries repeat events, and a "crash" may drop the cache step.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import redis

from compose.stack import Stack
from connectors.postgres import ApplyStatus, PostgresProjector
from connectors.redis import CacheProjector, CacheReader, Versioned, VersionedStore, redis_client
from schemas import EventEnvelope
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration


@pytest.fixture
def client(stack: Stack) -> Iterator[redis.Redis]:
    connection = redis_client(stack.settings)
    yield connection
    connection.close()


def positions(conn: psycopg.Connection[Any], ids: list[str]) -> dict[str, int]:
    rows = conn.execute(
        "SELECT 集約ID, 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = ANY(%s)", (ids,)
    ).fetchall()
    return dict(rows)


def cached(reader: CacheReader, s: Scenario, aggregate_id: str) -> Versioned | None:
    if aggregate_id == s.product:
        return reader.get_product(aggregate_id)
    if "@" in aggregate_id:
        product, _, zone = aggregate_id.partition("@")
        return reader.get_inventory_in_zone(product, zone)
    if "-" in aggregate_id:
        return reader.get_zone(aggregate_id)
    return reader.get_warehouse(aggregate_id)


def deliveries(story: list[EventEnvelope[Any]], rng: random.Random) -> list[EventEnvelope[Any]]:
    """Every event in order, some delivered again right away or after a few others."""
    out: list[EventEnvelope[Any]] = []
    for i, envelope in enumerate(story):
        out.append(envelope)
        if rng.random() < 0.3:
            out.append(story[rng.randint(max(0, i - 3), i)])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_cache_is_never_older_than_the_read_model(
    stack: Stack, client: redis.Redis, seed: int
) -> None:
    rng, s = random.Random(seed), Scenario.fresh()
    story = s.full_story()
    prefix = f"zaiko-test-{uuid.uuid4().hex[:12]}"
    cache = CacheProjector(VersionedStore(client, ttl_seconds=120), prefix)
    reader = CacheReader(cache.store, prefix)
    ids = sorted({e.meta.aggregate_id for e in story})
    url = stack.settings.effective_database_url
    projector = PostgresProjector.connect(url)
    crashes, hits = 0, 0
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            for envelope in deliveries(story, rng):
                status = projector.apply(envelope)
                if rng.random() < 0.2:  # died after the Postgres commit, before cache and ack
                    crashes += 1
                    status = projector.apply(envelope)  # so the broker redelivers it
                    assert status is ApplyStatus.SKIPPED
                cache.apply(envelope, redelivered=status is ApplyStatus.SKIPPED)
                model = positions(conn, ids)
                for aggregate_id in ids:
                    entry = cached(reader, s, aggregate_id)
                    if entry is not None:
                        hits += 1
                        assert entry.version == model[aggregate_id], aggregate_id
            stock = dict(conn.execute(
                "SELECT 在庫ID, 有効在庫数 FROM 在庫 WHERE 商品ID = %s", (s.product,)
            ).fetchall())  # fmt: skip
            for inventory_id, available in stock.items():
                entry = cached(reader, s, inventory_id)
                assert entry is None or entry.value["有効在庫数"] == available
    finally:
        projector.close()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    assert crashes > 0
    assert hits > len(story)  # the comparison ran against live entries, not only misses
