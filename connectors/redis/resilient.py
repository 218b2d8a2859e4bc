"""The projector's cache writes, which a Redis outage can delay but never stop the projection.

PostgreSQL has committed when the cache is written, so a cache failure must not fail
the batch (the retry would stall every aggregate behind an unreachable cache). Instead
the batch's writes become cache debt (debt.py) and the cache is marked down: later
batches record their writes as debt at once rather than wait for Redis to time out
each time. ``repair`` (a projector timer) repays the debt when Redis answers and marks
the cache up again; a batch after that writes to Redis directly.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

import redis

from connectors.redis.debt import CacheDebt
from connectors.redis.projector import CacheProjector
from schemas import EventEnvelope

log = logging.getLogger(__name__)
# What an unreachable, paused or refusing Redis raises (redis-py wraps most socket errors).
REDIS_FAILURES: tuple[type[BaseException], ...] = (redis.RedisError, OSError)


class CacheHealth:
    """Whether Redis is believed reachable; shared by every projection thread of a process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self.reason = ""

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def mark_down(self, error: BaseException) -> bool:
        """Note a failure; return True when the cache was up until now."""
        with self._lock:
            first = self.down_since is None
            if first:
                self.down_since = time.monotonic()
            self.reason = f"{type(error).__name__}: {error}"
            return first

    def mark_up(self) -> float | None:
        """Note Redis answers again; return how long it was down (None if it was not)."""
        with self._lock:
            since, self.down_since = self.down_since, None
            return None if since is None else time.monotonic() - since


class ResilientCache:
    """Writes a committed batch's events to Redis, or to the cache debt when Redis fails."""

    def __init__(self, projector: CacheProjector, debt: CacheDebt, health: CacheHealth) -> None:
        self.projector = projector
        self.debt = debt
        self.health = health
        self.recorded = 0  # entries put in debt by this instance

    def follow(
        self, redelivered: Iterable[EventEnvelope[Any]], fresh: Iterable[EventEnvelope[Any]]
    ) -> None:
        """Invalidate what was redelivered, write what is fresh (in that order)."""
        writes = [*self.projector.writes_for(redelivered, redelivered=True),
                  *self.projector.writes_for(fresh)]  # fmt: skip
        if not writes:
            return
        if not self.health.down:
            try:
                self.projector.write(writes)
                return
            except REDIS_FAILURES as e:
                if self.health.mark_down(e):
                    fields = {"event": "cache_down", "reason": str(e)}
                    log.error("cache down, recording cache debt in PostgreSQL instead: %s", e,
                              extra={"fields": fields})  # fmt: skip
        self.recorded += self.debt.record(writes)

    def repair(self) -> int:
        """Repay the cache debt if Redis answers; return the entries repaid (0 when none).

        Raises when Redis still fails (the cache stays down) or PostgreSQL does.
        """
        if not self.debt.outstanding():
            if self.health.down:
                self.projector.store.client.ping()
                self.health.mark_up()
            return 0
        try:
            repaid = self.debt.repay(self.projector.store)
        except REDIS_FAILURES as e:
            self.health.mark_down(e)
            raise
        down_for = self.health.mark_up()
        log.warning("cache debt repaid: %d entries invalidated", repaid,
                    extra={"fields": {"event": "cache_repaired", "entries": repaid,
                                      "down_s": down_for}})  # fmt: skip
        return repaid
