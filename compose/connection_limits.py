"""The embedded DynamoDB server's limits per connection, and its rate-limited log of them."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

IDLE_S = 120.0  # a kept-alive connection with no request started this long is closed
# (past every client's period: the worker's 60 s open-transfers sweep met a 60 s cut each time)
READ_S = 30.0  # a request's head and body, and then its answer, must pass within this
MAX_CONNECTIONS = 256  # open at once; one more is answered 503 and closed
RETRY_AFTER_S = 1  # what the 503 asks a client to wait (botocore's backoff decides anyway)
LOG_INTERVAL_S = 10.0  # at most one line per kind of event this often
IDLE, READING, ANSWERING = "idle", "reading", "answering"  # where a connection's deadline is

log = logging.getLogger("zaiko.dynamodb")


@dataclass(frozen=True)
class Limits:
    """How long a connection may idle or take over a request, and how many may be open."""

    idle_s: float = IDLE_S
    read_s: float = READ_S
    max_connections: int = MAX_CONNECTIONS

    def __post_init__(self) -> None:
        if self.idle_s <= 0 or self.read_s <= 0 or self.max_connections < 1:
            raise ValueError(f"deadlines must be positive and the cap at least 1: {self}")


class Deadlines:
    """A connection's one ``asyncio.timeout``, moved on as it idles, reads and answers.

    One per connection, not one per request: a request costs two reschedules.
    """

    __slots__ = ("_time", "limits", "phase", "timeout")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.phase = IDLE
        self.timeout = asyncio.timeout(limits.idle_s)
        self._time = asyncio.get_running_loop().time

    def idle(self) -> None:
        """Give the next request ``idle_s`` to send its first byte."""
        self.phase = IDLE
        self.timeout.reschedule(self._time() + self.limits.idle_s)

    def reading(self) -> None:
        """Give the request begun ``read_s`` to send the rest of its head and its body."""
        self.phase = READING
        self.timeout.reschedule(self._time() + self.limits.read_s)

    def answering(self) -> None:
        """Give the client ``read_s`` to take an answer the kernel could not buffer."""
        self.phase = ANSWERING
        self.timeout.reschedule(self._time() + self.limits.read_s)


@dataclass
class _Kind:
    count: int = 0  # events since the last line
    logged_at: float | None = None
    flush: asyncio.TimerHandle | None = None
    fields: dict[str, Any] = field(default_factory=dict)


class EventLog:
    """Log each kind of event at once, then at most once per interval with a count.

    A flood of refusals or cut connections costs one line per ``interval_s`` per kind;
    events after a line are counted into a line written when the interval ends.
    """

    def __init__(self, interval_s: float = LOG_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.totals: dict[str, int] = {}
        self._kinds: dict[str, _Kind] = {}

    def note(self, event: str, level: int, **fields: Any) -> None:
        """Count one ``event`` (call on the running loop); log it now or at the interval's end."""
        self.totals[event] = self.totals.get(event, 0) + 1
        kind = self._kinds.setdefault(event, _Kind())
        kind.count += 1
        kind.fields = fields
        loop = asyncio.get_running_loop()
        now = loop.time()
        if kind.logged_at is None or now - kind.logged_at >= self.interval_s:
            self._write(event, level, kind, now)
        elif kind.flush is None:
            at = kind.logged_at + self.interval_s
            kind.flush = loop.call_at(at, self._flush, event, level, kind)

    def _flush(self, event: str, level: int, kind: _Kind) -> None:
        kind.flush = None
        if kind.count:
            self._write(event, level, kind, asyncio.get_running_loop().time())

    def _write(self, event: str, level: int, kind: _Kind, now: float) -> None:
        since = None if kind.logged_at is None else round(now - kind.logged_at, 1)
        counts = {"count": kind.count, "since_s": since, "total": self.totals[event]}
        log.log(level, event, extra={"fields": {**kind.fields, **counts}})
        kind.count, kind.logged_at = 0, now
