"""Cache-aside shares the projector's Redis entries, and never serves older than asked."""

from __future__ import annotations

import datetime as dt
import uuid

import redis

from connectors.redis import CacheProjector, redis_client
from domain.enums import Category, ProductStatus, StorageCondition
from domain.product.events import ProductCreated_V1
from schemas import EventEnvelope, EventMeta
from tests.e2e.query_gateway.server import GatewayServer

QUERY = 'query($t: String) { product(id: "PRD-000010", consistencyToken: $t) { name status } }'


def test_entries_written_by_the_projector_are_served_and_refreshed_by_version(
    gateway: GatewayServer,
) -> None:
    settings = gateway.app.state.gateway.settings
    redis.Redis.from_url(settings.effective_redis_url).flushdb()
    # The projector's cache entry at version 1, with a name Postgres does not have: PRD-000010
    # was created (1), then discontinued (2) in the read model.
    meta = EventMeta(
        event_id=uuid.uuid4().hex,
        aggregate_id="PRD-000010",
        sequence_nr=1,
        occurred_at=dt.datetime.now(dt.UTC),
        causation_id="c",
        correlation_id="c",
    )
    created = ProductCreated_V1(
        "PRD-000010",
        "キャッシュの名前",
        "SKU-0010",
        Category.DAILY_GOODS,
        StorageCondition.AMBIENT,
        "個",
        "",
        1000,
        ProductStatus.ACTIVE,
    )
    CacheProjector.for_client(redis_client(settings)).apply(EventEnvelope(meta, created))

    before = gateway.statements
    assert gateway.data(QUERY)["product"] == {"name": "キャッシュの名前", "status": "ACTIVE"}
    assert gateway.statements == before  # a cache hit: no SQL at all

    # A token for version 2 turns the version-1 entry into a miss; the fill stores version 2.
    fresh = {"name": "テスト商品010", "status": "DISCONTINUED"}
    assert gateway.data(QUERY, t="PRD-000010:2")["product"] == fresh
    before = gateway.statements
    assert gateway.data(QUERY)["product"] == fresh
    assert gateway.statements == before
