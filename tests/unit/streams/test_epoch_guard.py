"""The epoch guard: cached states never outlive the journal they were read from."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from connectors.eventstore import InMemoryEventStore, InMemoryOutcomeStore, InMemorySnapshotStore
from domain import UpdateProduct
from streams.handling import CommandHandler, HandlerConfig, Loaded
from streams.handling.epoch_guard import (
    EpochCache,
    EpochGuard,
    JournalStartedOverError,
    JournalUnavailableError,
)
from streams.handling.guarded_store import GuardedEventStore
from tests.unit.streams.builders import create_product, envelope

P = "PRD-424242"


class Journal:
    """An in-memory journal that can start over (a new epoch) or vanish (no epoch)."""

    def __init__(self) -> None:
        self.store: InMemoryEventStore | None = InMemoryEventStore()
        self.epoch: str | None = "e1"
        self.reads = 0

    def read_epoch(self) -> str | None:
        self.reads += 1
        return self.epoch

    def start_over(self, epoch: str) -> None:
        self.store, self.epoch = InMemoryEventStore(), epoch


class Current:
    """An ``EventStore`` that is whatever the journal is now (raising while it is gone)."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> Any:
            if self._journal.store is None:
                raise RuntimeError("ResourceNotFoundException")
            return getattr(self._journal.store, name)(*args)

        return call


def worker(journal: Journal) -> tuple[CommandHandler, EpochGuard, EpochCache]:
    cache = EpochCache()
    guard = EpochGuard(journal.read_epoch, cache, retry_s=0.001)
    events = GuardedEventStore(Current(journal), guard)  # type: ignore[arg-type]
    handler = CommandHandler(events, InMemoryOutcomeStore(), InMemorySnapshotStore(),
                             HandlerConfig(), cache)  # fmt: skip
    guard.check()
    return handler, guard, cache


def warm(handler: CommandHandler, versions: int) -> None:
    assert handler.handle(envelope(create_product(P))).version == 1
    for n in range(2, versions + 1):
        assert handler.handle(envelope(UpdateProduct(P, name=f"醤油 {n}"))).version == n


def test_the_handler_caches_in_the_cache_it_is_given_even_an_empty_one() -> None:
    handler, _, cache = worker(Journal())
    warm(handler, 2)
    assert len(cache) == 1


def test_a_new_epoch_at_the_start_of_a_batch_drops_every_cached_state() -> None:
    journal = Journal()
    handler, guard, cache = worker(journal)
    warm(handler, 3)
    journal.start_over("e2")
    assert guard.check() and len(cache) == 0 and guard.epoch == "e2"

    outcome = handler.handle(envelope(UpdateProduct(P, name="new")))
    assert outcome.status == "REJECTED", "decided on the empty journal"
    assert journal.store is not None and journal.store.version(P) == 0


def test_without_the_check_the_warm_state_would_be_appended_after_a_missing_predecessor() -> None:
    journal = Journal()
    handler, _, _ = worker(journal)
    warm(handler, 3)
    journal.start_over("e2")  # nobody reads the epoch: this is what the guard prevents
    handler.handle(envelope(UpdateProduct(P, name="new")))
    assert journal.store is not None and journal.store.version(P) == 4


def test_after_a_failed_store_call_the_next_append_reads_the_epoch_first() -> None:
    journal = Journal()
    handler, _, cache = worker(journal)
    warm(handler, 3)
    reads = journal.reads
    journal.store = None  # the tables are gone mid-batch …
    with pytest.raises(RuntimeError):
        handler.events.version(P)
    journal.start_over("e2")  # … and back, empty, before this batch appends again
    loaded = cache.get("product", P)
    assert loaded is not None and loaded.version == 3
    with pytest.raises(JournalStartedOverError):
        handler.events.append(P, "product", 3, [], "cmd", "corr")
    assert journal.reads == reads + 1 and len(cache) == 0
    assert journal.store is not None and journal.store.version(P) == 0


def test_without_an_epoch_nothing_is_appended_and_no_batch_starts() -> None:
    journal = Journal()
    handler, guard, _ = worker(journal)
    journal.store, journal.epoch = None, None
    guard.store_failed()
    with pytest.raises(JournalUnavailableError):
        handler.events.append(P, "product", 0, [], "cmd", "corr")

    async def run_blocking(fn: Callable[[], Any]) -> Any:
        return fn()

    async def batch() -> None:
        await guard.ready(run_blocking)

    async def scenario() -> bool:
        task = asyncio.ensure_future(batch())
        await asyncio.sleep(0.05)
        held = not task.done()
        journal.start_over("e3")
        await asyncio.wait_for(task, 5)
        return held

    assert asyncio.run(scenario()), "a batch started while the journal had no epoch"
    assert guard.epoch == "e3"


def test_a_thread_that_read_before_a_drop_can_neither_cache_nor_append_what_it_read() -> None:
    journal = Journal()
    handler, guard, cache = worker(journal)
    warm(handler, 2)
    read, go_on, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def other_agent() -> None:  # another agent's batch, in flight across the drop
        try:
            loaded = handler.loader.load("product", P)
            read.set()
            go_on.wait(5)
            cache.put(Loaded("product", P, loaded.state, loaded.version))
            handler.events.append(P, "product", loaded.version, [], "cmd", "corr")
        except BaseException as e:
            errors.append(e)
        finally:
            done.set()

    cache.start_over_here()
    thread = threading.Thread(target=other_agent)
    thread.start()
    read.wait(5)
    journal.start_over("e2")
    assert guard.check()  # this agent's batch starts: the cache is dropped
    go_on.set()
    done.wait(5)
    thread.join(5)
    assert len(cache) == 0, "an old state came back into the cache"
    assert [type(e) for e in errors] == [JournalStartedOverError]


def test_an_unreachable_journal_is_told_from_one_without_an_epoch_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    journal = Journal()
    _, guard, _ = worker(journal)
    failing = {"on": True}

    def read_epoch() -> str | None:
        if failing["on"]:
            raise ConnectionError("503 ServiceUnavailable: too many open connections")
        return journal.read_epoch()

    guard._read_epoch = read_epoch
    with caplog.at_level("WARNING", logger="streams.handling.epoch_guard"):
        assert not any(guard.check() for _ in range(20))
    assert len([r for r in caplog.records if r.exc_info]) == 1, "a traceback per retry"
    assert "unreachable" in guard.why_not_ready() and "503" in guard.why_not_ready()
    failing["on"] = False
    assert guard.check()
    journal.store, journal.epoch = None, None
    assert not guard.check()
    assert "no epoch" in guard.why_not_ready()
