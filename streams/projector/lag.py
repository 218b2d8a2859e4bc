"""How far the projector is behind: events per aggregate type from its own consumer, seconds.

Cost per sample: a dictionary read per assigned partition (the highwater aiokafka keeps
from Fetch responses, the offsets this process projected) and one GROUP BY of 投影保留,
whose size is the number of parked aggregates, never the history.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from schemas import event_topic_for
from schemas.topics import AGGREGATE_TYPES
from streams.projection import BatchResult, Record
from streams.projector.metrics import EVENTS, LAG_EVENTS, LAG_SECONDS, PARKED

log = logging.getLogger(__name__)
TYPE_OF_TOPIC = {event_topic_for(t): t for t in AGGREGATE_TYPES}


class Progress:
    """What this process projected: next offset per partition, newest event time per type."""

    def __init__(self) -> None:
        self.next_offsets: dict[tuple[str, int], int] = {}
        self.newest_occurred_s: dict[str, float] = {}

    def record(self, aggregate_type: str, records: Sequence[Record], result: BatchResult) -> None:
        """Note a batch whose outputs the broker acked; count its events by outcome."""
        for r in records:
            if r.partition >= 0:
                key = (r.topic, r.partition)
                self.next_offsets[key] = max(self.next_offsets.get(key, 0), r.offset + 1)
        if result.newest_occurred_s is not None:
            before = self.newest_occurred_s.get(aggregate_type, 0.0)
            self.newest_occurred_s[aggregate_type] = max(before, result.newest_occurred_s)
        dead = len(result.dead_letters)
        EVENTS.labels(aggregate_type, "applied").inc(result.applied)
        EVENTS.labels(aggregate_type, "dead_lettered").inc(dead)
        EVENTS.labels(aggregate_type, "skipped").inc(max(0, len(records) - result.applied - dead))


class LagSampler:
    """Sets the lag and parked gauges from the consumer, the progress and 投影保留."""

    def __init__(self, progress: Progress, parked: Callable[[], Mapping[str, int]],
                 clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.progress = progress
        self._parked = parked
        self._clock = clock
        self._behind_since: dict[str, float] = {}

    async def sample(self, consumer: Any) -> dict[str, int]:
        """Set every gauge; return the events behind per aggregate type."""
        behind = dict.fromkeys(AGGREGATE_TYPES, 0)
        assigned = consumer.assignment()
        # a partition another projector took: its offsets here are stale once it returns
        held = {(tp.topic, tp.partition) for tp in assigned}
        for key in [k for k in self.progress.next_offsets if k not in held]:
            del self.progress.next_offsets[key]
        for tp in assigned:
            aggregate_type = TYPE_OF_TOPIC.get(tp.topic)
            highwater = _highwater(consumer, tp) if aggregate_type else None
            if aggregate_type is None or highwater is None:
                continue
            position = self.progress.next_offsets.get((tp.topic, tp.partition))
            if position is None:  # nothing projected here yet: where the consumer fetches from
                position = await consumer.position(tp)
            behind[aggregate_type] += max(0, highwater - (position or 0))
        now = self._clock()
        for aggregate_type, events in behind.items():
            LAG_EVENTS.labels(aggregate_type).set(events)
            LAG_SECONDS.labels(aggregate_type).set(self._seconds(aggregate_type, events, now))
        return behind

    def sample_parked(self) -> None:
        """Set the parked gauges from 投影保留 (blocking: run it off the event loop)."""
        counts = self._parked()
        for aggregate_type in AGGREGATE_TYPES:
            PARKED.labels(aggregate_type).set(counts.get(aggregate_type, 0))

    def _seconds(self, aggregate_type: str, events: int, now: float) -> float:
        if not events:
            self._behind_since.pop(aggregate_type, None)
            return 0.0
        since = self._behind_since.setdefault(aggregate_type, now)
        newest = self.progress.newest_occurred_s.get(aggregate_type, since)
        return max(0.0, now - newest)


def _highwater(consumer: Any, tp: Any) -> int | None:
    try:
        value = consumer.highwater(tp)
    except Exception:  # not assigned any more, or no Fetch response yet
        return None
    return None if value is None else int(value)
