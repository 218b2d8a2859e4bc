"""Project decoded events into the Redis cache, never letting an older event win.

Wiring (the projection agent): apply an event to Postgres first, then here, then ack.
``redelivered=True`` (Postgres answered SKIPPED) only invalidates: the event's effect is
already in the read model, and the cache may have missed it if the worker died between
the Postgres commit and this call; a SET of that old event could otherwise revive a value
older than the read model in an entry that had expired meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import redis

from connectors.redis import keys
from connectors.redis.entries import cache_write_for
from connectors.redis.versioned import CacheWrite, Mode, Outcome, VersionedStore
from schemas import EventEnvelope


@dataclass
class CacheStats:
    """What a cache projector did (cumulative); ``ignored`` = events of uncached aggregates."""

    set: int = 0
    patched: int = 0
    invalidated: int = 0
    stale: int = 0
    ignored: int = 0


class CacheProjector:
    """Turns event envelopes into versioned, conditional cache writes."""

    def __init__(self, store: VersionedStore, prefix: str = keys.PREFIX) -> None:
        self.store = store
        self.prefix = prefix
        self.stats = CacheStats()

    @classmethod
    def for_client(
        cls, client: redis.Redis, ttl_seconds: int = 86_400, prefix: str = keys.PREFIX
    ) -> CacheProjector:
        """Build a projector writing through ``client``."""
        return cls(VersionedStore(client, ttl_seconds), prefix)

    def apply(self, envelope: EventEnvelope[Any], *, redelivered: bool = False) -> Outcome | None:
        """Apply one event; None when its aggregate type is not cached."""
        outcomes = self.apply_batch([envelope], redelivered=redelivered)
        return outcomes[0] if outcomes else None

    def apply_batch(
        self, envelopes: Iterable[EventEnvelope[Any]], *, redelivered: bool = False
    ) -> list[Outcome]:
        """Apply events in order in one round trip; return the outcome of each cached one."""
        return self.write(self.writes_for(envelopes, redelivered=redelivered))

    def write(self, writes: Sequence[CacheWrite]) -> list[Outcome]:
        """Run writes made by ``writes_for`` in order in one round trip; return their outcomes."""
        outcomes = self.store.write_many(writes)
        for outcome in outcomes:
            counter = "set" if outcome is Outcome.SET else outcome.value
            setattr(self.stats, counter, getattr(self.stats, counter) + 1)
        return outcomes

    def writes_for(
        self, envelopes: Iterable[EventEnvelope[Any]], *, redelivered: bool = False
    ) -> Sequence[CacheWrite]:
        """Return the conditional writes the events cause (invalidations when redelivered)."""
        writes: list[CacheWrite] = []
        for envelope in envelopes:
            write = cache_write_for(envelope.meta, envelope.event, self.prefix)
            if write is None:
                self.stats.ignored += 1
                continue
            if redelivered:
                write = CacheWrite(write.key, write.field, Mode.DROP, write.version)
            writes.append(write)
        return writes
