"""An ``EventStore`` that tells the epoch guard about failures and asks it before appending."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from connectors.eventstore.errors import ConcurrencyError
from connectors.eventstore.port import EventStore, JournalEntry, NewEvent, StoredEvent
from streams.handling.epoch_guard import EpochCache, EpochGuard

T = TypeVar("T")


class GuardedEventStore:
    """Wraps the journal: a failed call makes the guard re-read the epoch before an append."""

    def __init__(self, inner: EventStore, guard: EpochGuard) -> None:
        self._inner = inner
        self._guard = guard

    def append(
        self,
        aggregate_id: str,
        aggregate_type: str,
        expected_version: int,
        events: Sequence[NewEvent],
        command_id: str,
        correlation_id: str,
    ) -> JournalEntry:
        """Append unless the state deciding it is of a journal that started over."""
        try:
            self._guard.before_append()
            return self._call(self._inner.append, aggregate_id, aggregate_type,
                              expected_version, events, command_id, correlation_id)  # fmt: skip
        finally:
            if isinstance(self._guard.cache, EpochCache):  # this thread's next state is new
                self._guard.cache.start_over_here()

    def load(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        """Delegate ``EventStore.load``."""
        return self._call(self._inner.load, aggregate_id, after_version)

    def follow(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        """Delegate ``EventStore.follow``."""
        return self._call(self._inner.follow, aggregate_id, after_version)

    def load_events(self, aggregate_id: str, after_version: int = 0) -> list[StoredEvent]:
        """Delegate ``EventStore.load_events``."""
        return self._call(self._inner.load_events, aggregate_id, after_version)

    def version(self, aggregate_id: str) -> int:
        """Delegate ``EventStore.version``."""
        return self._call(self._inner.version, aggregate_id)

    def entry_at(self, aggregate_id: str, first_seq_nr: int) -> JournalEntry | None:
        """Delegate ``EventStore.entry_at``."""
        return self._call(self._inner.entry_at, aggregate_id, first_seq_nr)

    def moved_since(self, versions: Mapping[str, int]) -> set[str]:
        """Delegate ``EventStore.moved_since``."""
        return self._call(self._inner.moved_since, versions)

    def __getattr__(self, name: str) -> Any:  # anything else an adapter offers (tests, tools)
        return getattr(self._inner, name)

    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return fn(*args)
        except ConcurrencyError:  # the journal answered: a conflict, not a failure
            raise
        except Exception:
            self._guard.store_failed()
            raise
