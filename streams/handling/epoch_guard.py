"""Follow the journal's epoch, so the worker never appends after a predecessor that is gone.

When the journal starts over (a new epoch, ``connectors/dynamodb/epoch.py``: the
embedded DynamoDB restarted empty and was provisioned again), every cached state is
of a history the journal no longer holds; appending at its version + 1 would write an
event whose predecessor is missing. So the worker reads the epoch (one consistent
GetItem, off the event loop) before each batch, and before the next append once a
store call failed; when it changed, every cached state is dropped. While there is no
epoch (the tables are gone) no batch is processed: it waits, unacknowledged.

States loaded before a drop may still be in use by threads of another agent's batch:
``EpochCache`` notes, per thread, the generation its reads began in, refuses to cache
what such a thread derived, and ``GuardedEventStore`` refuses its append.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from connectors.eventstore.errors import EventStoreError
from streams.handling.cache import Loaded, StateCache

log = logging.getLogger(__name__)
RETRY_S = 1.0


class JournalUnavailableError(EventStoreError):
    """The journal has no epoch (its tables are gone): nothing may be appended now."""


class JournalStartedOverError(EventStoreError):
    """The state in hand was read from a journal that has since started over."""


class EpochCache(StateCache):
    """A ``StateCache`` that a thread cannot refill with what it read before a ``clear``."""

    def __init__(self, max_entries: int = 50_000) -> None:
        super().__init__(max_entries)
        self.generation = 0
        self._clearing = threading.Lock()
        self._thread = threading.local()  # .generation: when this thread's reads began

    def get(self, aggregate_type: str, aggregate_id: str) -> Loaded | None:
        """Return the cached state; note that this thread's reads began by now."""
        if getattr(self._thread, "generation", None) is None:
            self._thread.generation = self.generation
        return super().get(aggregate_type, aggregate_id)

    def put(self, loaded: Loaded) -> None:
        """Cache ``loaded`` unless this thread read it before the cache was cleared."""
        with self._clearing:
            if not self.stale_here():
                super().put(loaded)

    def clear(self) -> int:
        """Forget every state and every thread's reads so far; return how many were cached."""
        with self._clearing:
            self.generation += 1
            return super().clear()

    def stale_here(self) -> bool:
        """Tell whether this thread's reads began before the last ``clear``."""
        began = getattr(self._thread, "generation", None)
        return began is not None and began != self.generation

    def start_over_here(self) -> None:
        """Forget when this thread's reads began (its next ``get`` starts afresh)."""
        self._thread.generation = None


class EpochGuard:
    """Knows the journal epoch the cached states belong to; drops them when it changes."""

    def __init__(
        self, read_epoch: Callable[[], str | None], cache: StateCache, retry_s: float = RETRY_S
    ) -> None:
        self.cache = cache
        self.epoch: str | None = None
        self._read_epoch = read_epoch
        self._retry_s = retry_s
        self._lock = threading.Lock()
        self._suspect = False  # a store call failed since the epoch was last read
        self._failure: Exception | None = None  # why the last read failed (None: it answered)

    def check(self) -> bool:
        """Read the epoch; drop every cached state if it changed. False while there is none."""
        try:
            current = self._read_epoch()
        except Exception as e:  # the first failure of a run with its traceback; ready() says more
            if self._failure is None:
                log.warning("cannot read the journal's epoch", exc_info=True)
            self._failure = e
            return False
        self._failure = None
        if current is None:
            return False
        with self._lock:
            if current != self.epoch:
                dropped = self.cache.clear() if self.epoch is not None else 0
                log.log(logging.WARNING if self.epoch else logging.INFO,
                        "journal epoch %s (was %s): %d cached states dropped",
                        current, self.epoch, dropped)  # fmt: skip
                self.epoch = current
            self._suspect = False
        return True

    async def ready(self, run_blocking: Callable[..., Awaitable[Any]]) -> None:
        """Return once the journal has an epoch (read now); meanwhile wait, holding the batch."""
        waited = 0
        while not await run_blocking(self.check):
            if waited % 30 == 0:
                log.warning("%s: batch held, retrying", self.why_not_ready())
            waited += 1
            await asyncio.sleep(self._retry_s)

    def why_not_ready(self) -> str:
        """Say why the last check failed: the journal unreachable, or it has no epoch."""
        if self._failure is not None:
            return f"the journal is unreachable ({type(self._failure).__name__}: {self._failure})"
        return "the journal has no epoch (tables gone?)"

    def store_failed(self) -> None:
        """Note a failed store call: the journal may have gone; re-read before appending."""
        self._suspect = True

    def before_append(self) -> None:
        """Raise unless an append now would follow a predecessor the journal still holds."""
        if self._suspect and not self.check():
            raise JournalUnavailableError("the journal has no epoch: not appending")
        if isinstance(self.cache, EpochCache) and self.cache.stale_here():
            self.cache.start_over_here()
            raise JournalStartedOverError("the journal started over since this state was read")
