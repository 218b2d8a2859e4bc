"""How late a stage is running, seen by one process: finished work and work in flight."""

from __future__ import annotations

import itertools
import threading
import time


class LatencyProbe:
    """Per subject: the worst latency finished since the last drain, and the oldest in flight.

    Work stuck in flight (a database down, a batch retried) counts from its oldest
    record's timestamp, so a stalled stage is seen as late while it stalls, not after.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._worst: dict[str, float] = {}
        self._flying: dict[int, tuple[str, float]] = {}
        self._tokens = itertools.count()
        self._known: set[str] = set()

    def begin(self, subject: str, oldest_ts: float) -> int:
        """Note work on ``subject`` whose oldest record was written at ``oldest_ts`` (epoch s)."""
        with self._lock:
            token = next(self._tokens)
            self._flying[token] = (subject, oldest_ts)
            self._known.add(subject)
            return token

    def end(self, token: int, now: float | None = None) -> None:
        """Note that the work ``token`` is done (its latency is kept until the next drain)."""
        now = time.time() if now is None else now
        with self._lock:
            subject, oldest = self._flying.pop(token)
            self._worst[subject] = max(self._worst.get(subject, 0.0), now - oldest)

    def drain(self, now: float | None = None) -> dict[str, float]:
        """Return each subject's worst latency since the last drain, in flight included."""
        now = time.time() if now is None else now
        with self._lock:
            # a subject seen before and idle now reads 0: its instance is not late any more
            worst = dict.fromkeys(self._known, 0.0) | self._worst
            self._worst = {}
            for subject, oldest in self._flying.values():
                worst[subject] = max(worst.get(subject, 0.0), now - oldest)
        return worst
