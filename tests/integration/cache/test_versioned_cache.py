"""The versioned cache on the embedded Redis: an older event never wins, whoever writes."""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Iterator

import pytest
import redis

from compose.stack import Stack
from connectors.redis import CacheReader, Outcome, Versioned, VersionedStore, redis_client

pytestmark = pytest.mark.integration


@pytest.fixture
def client(stack: Stack) -> Iterator[redis.Redis]:
    connection = redis_client(stack.settings)
    yield connection
    connection.close()


@pytest.fixture
def prefix(client: redis.Redis) -> Iterator[str]:
    value = f"zaiko-test-{uuid.uuid4().hex[:12]}"
    yield value
    for key in client.scan_iter(f"{value}:*"):
        client.delete(key)


def row(version: int, **value: object) -> str:
    return json.dumps({"v": version, **value}, ensure_ascii=False)


def test_a_stale_event_never_overwrites_a_newer_entry(client: redis.Redis, prefix: str) -> None:
    store, key = VersionedStore(client, ttl_seconds=60), f"{prefix}:product:PRD-000001"
    assert store.set_if_newer(key, "state", 3, row(3)) is Outcome.SET
    assert store.set_if_newer(key, "state", 2, row(2)) is Outcome.STALE
    assert store.delete_if_not_newer(key, "state", 2) is Outcome.STALE
    assert store.patch_if_next(key, "state", 3, row(99)) is Outcome.STALE
    assert store.read(key, "state") == (3, row(3))
    assert 0 < client.ttl(key) <= 60


def test_a_patch_applies_only_on_the_previous_version_and_invalidates_otherwise(
    client: redis.Redis, prefix: str
) -> None:
    store, reader = VersionedStore(client), CacheReader(VersionedStore(client), prefix)
    key = f"{prefix}:product:PRD-000002"
    store.set_if_newer(
        key, "state", 1, json.dumps({"商品名": "緑茶", "容量": 1.5}, ensure_ascii=False)
    )
    assert store.patch_if_next(key, "state", 2, '{"ステータス":"廃止"}') is Outcome.PATCHED
    assert reader.get_product("PRD-000002") == Versioned(
        {"商品名": "緑茶", "容量": 1.5, "ステータス": "廃止"}, 2
    )
    assert "緑茶" in (client.hget(key, "state") or "")  # stored unescaped
    assert store.patch_if_next(key, "state", 4, '{"ステータス":"有効"}') is Outcome.INVALIDATED
    assert reader.get_product("PRD-000002") is None
    # a fill from the read model at the tombstone's version is allowed, an older one is not
    assert reader.fill_product("PRD-000002", Versioned({"商品名": "古い"}, 3)) is Outcome.STALE
    assert reader.fill_product("PRD-000002", Versioned({"商品名": "緑茶"}, 4)) is Outcome.SET
    assert reader.get_product("PRD-000002") == Versioned({"商品名": "緑茶"}, 4)


def test_the_script_is_reloaded_after_a_script_flush(client: redis.Redis, prefix: str) -> None:
    store = VersionedStore(client)
    client.script_flush()
    assert store.set_if_newer(f"{prefix}:zone:TKY-01", "state", 1, "{}") is Outcome.SET


def test_concurrent_writers_end_with_the_highest_version(client: redis.Redis, prefix: str) -> None:
    key, versions = f"{prefix}:warehouse:TKY", list(range(1, 301))
    barrier = threading.Barrier(6)

    def writer(seed: int) -> None:
        store = VersionedStore(redis_client_like(client))
        mine = random.Random(seed).sample(versions, len(versions))
        barrier.wait()
        for version in mine:
            if version % 7 == 0:
                store.delete_if_not_newer(key, "state", version)
            else:
                store.set_if_newer(key, "state", version, row(version))

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert VersionedStore(client).read(key, "state") == (300, row(300))


def redis_client_like(client: redis.Redis) -> redis.Redis:
    kwargs = client.connection_pool.connection_kwargs
    return redis.Redis(host=kwargs["host"], port=kwargs["port"], db=kwargs.get("db", 0),
                       decode_responses=True)  # fmt: skip


def test_inventory_of_a_product_is_a_hit_only_when_complete(
    client: redis.Redis, prefix: str
) -> None:
    store = VersionedStore(client)
    reader = CacheReader(store, prefix)
    key = f"{prefix}:inventory:product:PRD-000003"
    store.set_if_newer(key, "TKY-01", 5, json.dumps({"現在庫数": 5}))
    assert reader.get_inventory("PRD-000003") is None  # an event alone knows one zone only
    assert reader.get_inventory_in_zone("PRD-000003", "TKY-01") == Versioned({"現在庫数": 5}, 5)
    outcomes = reader.fill_inventory(
        "PRD-000003",
        {"TKY-01": Versioned({"現在庫数": 4}, 4), "OSK-01": Versioned({"現在庫数": 9}, 2)},
    )
    assert outcomes == [Outcome.STALE, Outcome.SET]
    assert reader.get_inventory("PRD-000003") == {
        "TKY-01": Versioned({"現在庫数": 5}, 5),
        "OSK-01": Versioned({"現在庫数": 9}, 2),
    }
    store.delete_if_not_newer(key, "OSK-01", 3)
    assert reader.get_inventory("PRD-000003") is None
