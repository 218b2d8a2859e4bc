"""Consumer lag per assigned partition, as the consumer itself sees it, on a Faust timer.

The highwater is the one the broker reported in its last Fetch response for the
partition (aiokafka's ``highwater(tp)``, through Faust's consumer); the position is the
group's committed offset as Faust tracks it (seeded from the broker at assignment,
then moved by each commit). No ListOffsets: the embedded broker's LATEST is wrong
for multi-record batches. Cost per sample: O(assigned partitions), no I/O. Series of
partitions no longer assigned are removed, so a rebalance leaves no stale lag behind.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Protocol

import faust

from streams.metrics import CONSUMER_HIGHWATER, CONSUMER_LAG, CONSUMER_POSITION

log = logging.getLogger(__name__)
INTERVAL_S = 5.0
Series = tuple[str, str, str]  # group, topic, partition


class Consumer(Protocol):
    def assignment(self) -> Any: ...

    def highwater(self, tp: Any) -> int | None: ...


def committed_offset(consumer: Any, tp: Any) -> int | None:
    """Return the offset Faust last committed (or found committed) for ``tp``, if any."""
    offsets = getattr(consumer, "_committed_offset", None)
    return None if offsets is None else offsets.get(tp)


class ConsumerLag:
    """Keep the lag gauges of one consumer group in step with its assignment."""

    def __init__(self, group: str) -> None:
        self.group = group
        self.series: set[Series] = set()

    def sample(self, consumer: Consumer) -> None:
        """Set the gauges of every assigned partition; drop those of the others."""
        current: set[Series] = set()
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue  # no Fetch answered for it yet: nothing known
            labels = (self.group, tp.topic, str(tp.partition))
            current.add(labels)
            CONSUMER_HIGHWATER.labels(*labels).set(highwater)
            position = committed_offset(consumer, tp)
            if position is None and highwater == 0:
                position = 0  # an empty partition: nothing to catch up on
            if position is None:
                continue
            CONSUMER_POSITION.labels(*labels).set(position)
            CONSUMER_LAG.labels(*labels).set(max(0, highwater - position))
        self.forget(self.series - current)
        self.series = current

    def forget(self, gone: set[Series]) -> None:
        """Remove the series of partitions no longer assigned."""
        for labels in gone:
            for family in (CONSUMER_HIGHWATER, CONSUMER_POSITION, CONSUMER_LAG):
                with contextlib.suppress(KeyError):  # never had a position: no such series
                    family.remove(*labels)


def register(app: faust.App, interval_s: float = INTERVAL_S) -> ConsumerLag:
    """Sample ``app``'s consumer lag every ``interval_s`` and forget revoked partitions."""
    lag = ConsumerLag(app.conf.id)

    @app.timer(interval_s, name=f"{app.conf.id}.consumer_lag")  # type: ignore[untyped-decorator]
    async def sample_consumer_lag() -> None:
        try:
            lag.sample(app.consumer)
        except Exception:  # a consumer between generations: the next sample catches up
            log.debug("consumer lag not sampled", exc_info=True)

    @app.on_partitions_revoked.connect  # type: ignore[arg-type]
    async def forget_revoked(sender: Any, revoked: Any, **_: Any) -> None:
        gone = {labels for labels in lag.series if _tp_of(labels) in _tp_keys(revoked)}
        lag.forget(gone)
        lag.series -= gone

    return lag


def _tp_of(labels: Series) -> tuple[str, int]:
    return labels[1], int(labels[2])


def _tp_keys(tps: Any) -> set[tuple[str, int]]:
    return {(tp.topic, tp.partition) for tp in tps}
