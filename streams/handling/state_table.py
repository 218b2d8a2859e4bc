"""The aggregate-state table behind the LRU: states survive a restart in a changelog.

Faust-agnostic: ``data`` is the table's local map (aggregate id → entry, restored from
the changelog at start-up); ``note`` queues a state appended to the journal, and the
runtime publishes what ``drain`` returns to the changelog with the batch's outcomes,
each to the partition of its aggregate's command topic (the contract's murmur2 of the
key), so each worker restores the states of the partitions it holds.

Only ever a cache: an entry read here counts as a cached state (an acceptance on it
is guarded by the conditional append, a refusal confirmed against the journal head),
and an entry of another journal epoch (the journal started over) is never used.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, replace

from aiokafka.partitioner import murmur2

from streams.handling.cache import Loaded
from streams.handling.state_codec import StateCodecError
from streams.handling.table_codec import decode_entry, encode_entry
from streams.metrics import STATE_TABLE_READS, STATE_TABLE_WRITES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableWrite:
    """One changelog record: the aggregate id as key, its entry, the partition it goes to."""

    key: bytes
    value: bytes
    partition: int


def partition_of(key: bytes, partitions: int) -> int:
    """Return the partition the contract's producers give ``key`` (Java's murmur2)."""
    return int(murmur2(key) & 0x7FFFFFFF) % partitions


class StateTable:
    """Read states the LRU lacks from the table; queue the appended ones for its changelog.

    ``epoch``: the journal epoch the worker's states belong to now (None: unknown);
    ``stale``: whether the calling thread read its state before the cache was last
    cleared (such a state is never written).
    """

    def __init__(
        self,
        data: MutableMapping[bytes, bytes],
        partitions: int,
        epoch: Callable[[], str | None],
        stale: Callable[[], bool] = lambda: False,
    ) -> None:
        self.data = data
        self.partitions = partitions
        self._epoch = epoch
        self._stale = stale
        self._lock = threading.Lock()
        self._pending: dict[bytes, tuple[int, TableWrite]] = {}
        self._forgotten: set[bytes] = set()

    def get(self, aggregate_type: str, aggregate_id: str) -> Loaded | None:
        """Return the table's state of the aggregate, if it is of the current epoch."""
        key = aggregate_id.encode()
        raw = None if key in self._forgotten else self.data.get(key)
        if raw is None:
            STATE_TABLE_READS.labels("miss").inc()
            return None
        try:
            entry = decode_entry(bytes(raw))
        except StateCodecError:
            log.warning("ignoring an unreadable table entry of %s", aggregate_id, exc_info=True)
            STATE_TABLE_READS.labels("unreadable").inc()
            return None
        current = self._epoch()
        if current is None or entry.epoch != current:
            STATE_TABLE_READS.labels("other_epoch").inc()
            return None
        if entry.loaded.aggregate_type != aggregate_type:  # ids of two types never meet here
            STATE_TABLE_READS.labels("miss").inc()
            return None
        STATE_TABLE_READS.labels("hit").inc()
        return replace(entry.loaded, fetched_at=0.0)  # never counts as read just now

    def note(self, loaded: Loaded) -> None:
        """Queue ``loaded`` (just appended to the journal) for the changelog."""
        epoch = self._epoch()
        if epoch is None or self._stale():
            return
        try:
            value = encode_entry(loaded, epoch)
        except StateCodecError:
            log.warning("state of %s not written to the table", loaded.aggregate_id, exc_info=True)
            self.forget(loaded.aggregate_id)
            return
        key = loaded.aggregate_id.encode()
        write = TableWrite(key, value, partition_of(key, self.partitions))
        with self._lock:
            queued = self._pending.get(key)
            if queued is None or queued[0] <= loaded.version:
                self._pending[key] = (loaded.version, write)
            self._forgotten.discard(key)

    def forget(self, aggregate_id: str) -> None:
        """Stop answering from the table for this aggregate until its next ``note``."""
        key = aggregate_id.encode()
        with self._lock:
            self._forgotten.add(key)
            self._pending.pop(key, None)

    def drain(self) -> list[TableWrite]:
        """Return the queued writes (and keep them locally); the caller publishes them."""
        with self._lock:
            writes = [w for _, w in self._pending.values()]
            self._pending.clear()
        for write in writes:
            self.data[write.key] = write.value
        STATE_TABLE_WRITES.inc(len(writes))
        return writes
