"""A bounded, thread-safe LRU cache of aggregate states, private to one worker process.

With ``ZAIKO_STATE_TABLE`` a Faust table stands behind it (``state_table.py``); either
is only a cache: the event store is the truth and a stale entry is caught by the
conditional append. See streams/README.md, "State table".
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from connectors.eventstore.port import RecentCommand

RECENT_COMMANDS = 32


@dataclass(frozen=True)
class Loaded:
    """An aggregate's state at ``version`` and the commands it saw last.

    ``recent_commands``: (command id, key of its journal entry), newest last; a
    snapshot keeps them too, so even a cold load answers a redelivered recent command
    from its entry with one GetItem. ``fetched_at``: when this copy was last read from
    (or checked against) the journal.
    """

    aggregate_type: str
    aggregate_id: str
    state: Any
    version: int
    recent_commands: tuple[RecentCommand, ...] = ()
    fetched_at: float = 0.0

    def saw(self, command_id: str) -> bool:
        """Tell whether one of the recent commands this copy applied is ``command_id``."""
        return self.entry_key(command_id) is not None

    def entry_key(self, command_id: str) -> int | None:
        """Return the key (first seq nr) of the journal entry of a recent ``command_id``."""
        return next((key for c, key in reversed(self.recent_commands) if c == command_id), None)

    def with_commands(self, commands: Iterable[RecentCommand]) -> tuple[RecentCommand, ...]:
        """Return the recent commands extended by ``commands``, newest last, bounded."""
        return (*self.recent_commands, *commands)[-RECENT_COMMANDS:]


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
