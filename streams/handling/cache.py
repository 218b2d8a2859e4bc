"""A bounded, thread-safe LRU cache of aggregate states, private to one worker process.

Why not a Faust table: its changelog recovery trusts end offsets, which Tansu reports
wrongly, and a table would only ever be a cache anyway (the event store is the truth
and a stale entry is caught by the conditional append). See streams/README.md.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

RECENT_COMMANDS = 32


@dataclass(frozen=True)
class Loaded:
    """An aggregate's state at ``version`` and the ids of the commands it saw last."""

    aggregate_type: str
    aggregate_id: str
    state: Any
    version: int
    recent_commands: tuple[str, ...] = ()
    fetched_at: float = 0.0
    from_snapshot: bool = field(default=False, compare=False)

    def saw(self, command_id: str) -> bool:
        """Tell whether one of the recent commands this copy applied is ``command_id``."""
        return command_id in self.recent_commands

    def with_commands(self, command_ids: Iterable[str]) -> tuple[str, ...]:
        """Return the recent command ids extended by ``command_ids``, newest last, bounded."""
        return (*self.recent_commands, *command_ids)[-RECENT_COMMANDS:]


class StateCache:
    """Least-recently-used map of (aggregate type, id) to ``Loaded``."""

    def __init__(self, max_entries: int = 50_000) -> None:
        self._max = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], Loaded] = OrderedDict()

    def get(self, aggregate_type: str, aggregate_id: str) -> Loaded | None:
        """Return the cached state, marking it recently used."""
        key = (aggregate_type, aggregate_id)
        with self._lock:
            loaded = self._entries.get(key)
            if loaded is not None:
                self._entries.move_to_end(key)
            return loaded

    def put(self, loaded: Loaded) -> None:
        """Cache ``loaded`` unless a newer version is cached already; evict the oldest."""
        key = (loaded.aggregate_type, loaded.aggregate_id)
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current.version > loaded.version:
                return
            self._entries[key] = loaded
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def drop(self, aggregate_type: str, aggregate_id: str) -> None:
        """Forget an aggregate (its next load goes to the store)."""
        with self._lock:
            self._entries.pop((aggregate_type, aggregate_id), None)

    def clear(self) -> int:
        """Forget every state (the journal started over); return how many there were."""
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
