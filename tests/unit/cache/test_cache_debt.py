"""A Redis outage becomes cache debt instead of a failed batch; the debt is repaid later."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import redis

from connectors.redis import CacheProjector, CacheWrite, Mode, Outcome, VersionedStore
from connectors.redis.debt import CacheDebt
from connectors.redis.resilient import CacheHealth, ResilientCache
from tests.unit.alerts.events import fresh_inventory, stock_at


class FlakyStore(VersionedStore):
    """A versioned store whose Redis is down while ``down`` is True."""

    def __init__(self) -> None:
        self.down = False
        self.written: list[CacheWrite] = []
        self.calls = 0
        self.client = self  # type: ignore[assignment]  # ping() is ours

    def write_many(
        self, writes: Sequence[CacheWrite], *, complete: str | None = None
    ) -> list[Outcome]:
        self.calls += 1
        if self.down:
            raise redis.ConnectionError(
                "Error 111 connecting to 127.0.0.1:6379. Connection refused."
            )
        self.written.extend(writes)
        return [Outcome.SET for _ in writes]

    def ping(self) -> bool:
        if self.down:
            raise redis.ConnectionError("refused")
        return True


class MemoryDebt(CacheDebt):
    """Cache debt kept in a dict (the real one is a PostgreSQL table)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], int] = {}

    def record(self, writes: Sequence[CacheWrite]) -> int:
        for w in writes:
            key = (w.key, w.field)
            self.rows[key] = max(self.rows.get(key, 0), w.version)
        return len({(w.key, w.field) for w in writes})

    def outstanding(self) -> bool:
        return bool(self.rows)

    def repay(self, store: VersionedStore) -> int:
        store.write_many([CacheWrite(k, f, Mode.DROP, v) for (k, f), v in self.rows.items()])
        repaid, self.rows = len(self.rows), {}
        return repaid


@pytest.fixture
def parts() -> tuple[FlakyStore, MemoryDebt, ResilientCache]:
    store, debt = FlakyStore(), MemoryDebt()
    return store, debt, ResilientCache(CacheProjector(store), debt, CacheHealth())


def test_redis_down_records_the_batch_as_debt_instead_of_failing_it(parts: Any) -> None:
    store, debt, cache = parts
    inventory = fresh_inventory()
    store.down = True
    cache.follow([], [stock_at(inventory, 1, 5), stock_at(inventory, 2, 4)])
    cache.follow([], [stock_at(inventory, 3, 3)])
    assert list(debt.rows.values()) == [3]  # one entry, at the newest version it missed
    assert store.calls == 1  # once down, later batches do not wait for Redis again
    assert cache.health.down


def test_the_debt_is_repaid_as_tombstones_once_redis_answers(parts: Any) -> None:
    store, debt, cache = parts
    inventory = fresh_inventory()
    store.down = True
    cache.follow([], [stock_at(inventory, 1, 5)])
    with pytest.raises(redis.ConnectionError):
        cache.repair()  # still down: stays in debt
    assert debt.rows and cache.health.down
    store.down = False
    assert cache.repair() == 1
    assert [(w.mode, w.version) for w in store.written] == [(Mode.DROP, 1)]
    assert not debt.rows and not cache.health.down
    cache.follow([], [stock_at(inventory, 2, 4)])
    assert [w.mode for w in store.written][-1] is Mode.SET  # written directly again
