"""Load aggregate state: cache first, then the state table, else snapshot plus journal."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from connectors.eventstore.port import EventStore, JournalEntry, SnapshotStore
from domain.aggregate import INITIAL
from schemas import decode_event
from streams.handling.aggregates import KINDS
from streams.handling.cache import Loaded, StateCache
from streams.handling.state_codec import StateCodecError, decode_state
from streams.handling.state_table import StateTable

log = logging.getLogger(__name__)


class StateLoader:
    """Read aggregate states through a per-worker cache; the event store is the truth."""

    def __init__(
        self,
        events: EventStore,
        snapshots: SnapshotStore,
        cache: StateCache,
        clock: Callable[[], float] = time.monotonic,
        table: StateTable | None = None,
    ) -> None:
        self.events = events
        self.snapshots = snapshots
        self.cache = cache
        self.table = table
        self._clock = clock

    def load(
        self, aggregate_type: str, aggregate_id: str, max_age_s: float | None = None
    ) -> Loaded:
        """Return the cached state, or catch up from the store when missing or too old."""
        cached = self._cached(aggregate_type, aggregate_id)
        if cached is None:
            return self._cold(aggregate_type, aggregate_id)
        if max_age_s is not None and self._clock() - cached.fetched_at > max_age_s:
            return self.refresh(cached)
        return cached

    def cached_or_read(self, aggregate_type: str, aggregate_id: str) -> tuple[Loaded, bool]:
        """Return the state, and whether it was read from the store now (not a cache).

        A state from the state table counts as cached: it may lag the journal.
        """
        cached = self._cached(aggregate_type, aggregate_id)
        if cached is None:
            return self._cold(aggregate_type, aggregate_id), True
        return cached, False

    def presumed_new(self, aggregate_type: str, aggregate_id: str) -> Loaded | None:
        """Return the not-yet-created state of an aggregate no cache knows, without a read.

        For a creation command: its append at version 0 is conditional, so a wrong guess
        costs one refused write and a ``read``, never a wrong answer (the journal is never
        trimmed, so a created aggregate always holds seq 1). ``None`` when a cache knows it.
        """
        if self._cached(aggregate_type, aggregate_id) is not None:
            return None
        return Loaded(aggregate_type, aggregate_id, INITIAL, 0, fetched_at=self._clock())

    def read(self, aggregate_type: str, aggregate_id: str) -> Loaded:
        """Read the state from the journal (latest snapshot, then the entries after it)."""
        return self._cold(aggregate_type, aggregate_id)

    def refresh(self, stale: Loaded) -> Loaded:
        """Apply whatever the journal holds after ``stale.version`` and cache the result."""
        entries = self.events.follow(stale.aggregate_id, after_version=stale.version)
        fresh = replace(self.apply(stale, entries), fetched_at=self._clock())
        self.cache.put(fresh)
        if self.table is not None and fresh.version != stale.version:
            self.table.note(fresh)
        return fresh

    def apply(self, loaded: Loaded, entries: Sequence[JournalEntry]) -> Loaded:
        """Return ``loaded`` evolved by the events of ``entries`` it has not seen yet."""
        evolve = KINDS[loaded.aggregate_type].evolve
        state, version = loaded.state, loaded.version
        for entry in entries:
            for stored in entry.events:
                if stored.seq_nr <= version:
                    continue
                if stored.seq_nr != version + 1:
                    raise RuntimeError(f"{loaded.aggregate_id}: gap before seq {stored.seq_nr}")
                # evolve knows the versions decide writes; upcasting would hand it newer ones
                state = evolve(state, decode_event(stored.payload, upcast=False).event)
                version = stored.seq_nr
        commands = loaded.with_commands((c, e.first_seq_nr) for e in entries for c in e.command_ids)
        return replace(loaded, state=state, version=version, recent_commands=commands)

    def revalidate(
        self, keys: Iterable[tuple[str, str]], max_age_s: float, catch_up: bool = False
    ) -> None:
        """Renew the cached states among ``keys`` older than ``max_age_s`` that are current.

        One ``moved_since`` round trip answers for all of them; a state whose journal
        moved on is caught up now with ``catch_up``, else left as it is, so its next
        ``load`` catches up the usual way.
        """
        now, stale = self._clock(), {}
        for aggregate_type, aggregate_id in set(keys):
            cached = self.cache.get(aggregate_type, aggregate_id)
            if cached is not None and now - cached.fetched_at > max_age_s:
                stale[aggregate_id] = cached
        if not stale:
            return
        moved = self.events.moved_since({a: c.version for a, c in stale.items()})
        for aggregate_id, cached in stale.items():
            if aggregate_id not in moved:
                self.cache.put(replace(cached, fetched_at=now))
            elif catch_up:
                self.refresh(cached)

    def remember(self, loaded: Loaded) -> None:
        """Cache (and table) a state the handler produced itself (after a successful append)."""
        self.cache.put(loaded)
        if self.table is not None:
            self.table.note(loaded)

    def forget(self, aggregate_type: str, aggregate_id: str) -> None:
        """Drop a state from the cache and the table (its next load reads the journal)."""
        self.cache.drop(aggregate_type, aggregate_id)
        if self.table is not None:
            self.table.forget(aggregate_id)

    def now(self) -> float:
        """Return the loader's clock (what ``Loaded.fetched_at`` is measured on)."""
        return self._clock()

    def find_recent(self, aggregate_id: str, command_id: str) -> JournalEntry | None:
        """Return ``command_id``'s part of the journal if it is among the recent commands.

        Reads what a cold load reads (the snapshot's recent commands and the entries
        after it) without folding any state, so it answers even when folding fails.
        """
        snapshot = self.snapshots.latest(aggregate_id)
        after = 0 if snapshot is None else snapshot.version
        recent = () if snapshot is None else snapshot.recent_commands
        entries = self.events.follow(aggregate_id, after_version=after)
        for entry in reversed(entries):
            if command_id in entry.command_ids:
                return entry.part(command_id)
        key = next((k for c, k in recent if c == command_id), None)
        found = None if key is None else self.events.entry_at(aggregate_id, key)
        return None if found is None else found.part(command_id)

    def _cached(self, aggregate_type: str, aggregate_id: str) -> Loaded | None:
        """Return the LRU's state, else the table's (then kept in the LRU), else None."""
        cached = self.cache.get(aggregate_type, aggregate_id)
        if cached is None and self.table is not None:
            cached = self.table.get(aggregate_type, aggregate_id)
            if cached is not None:
                self.cache.put(cached)
        return cached

    def _cold(self, aggregate_type: str, aggregate_id: str) -> Loaded:
        base = Loaded(aggregate_type, aggregate_id, INITIAL, 0, fetched_at=self._clock())
        snapshot = self.snapshots.latest(aggregate_id)
        if snapshot is not None:
            try:
                state = decode_state(snapshot.state)
                base = replace(base, state=state, version=snapshot.version,
                               recent_commands=snapshot.recent_commands)  # fmt: skip
            except StateCodecError:
                log.warning("ignoring unreadable snapshot of %s", aggregate_id, exc_info=True)
        loaded = self.apply(base, self.events.follow(aggregate_id, after_version=base.version))
        self.cache.put(loaded)
        if self.table is not None and loaded.version > 0:  # a restart need not read it again
            self.table.note(loaded)
        return loaded
