"""Consumer lag gauges follow a consumer's highwaters, committed offsets and assignment."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

import faust
from faust.types import TP
from prometheus_client import REGISTRY

from streams.consumer_lag import ConsumerLag, register


@dataclass
class FakeConsumer:
    """What the sampler reads of Faust's consumer: assignment, highwaters, committed offsets."""

    highwaters: dict[TP, int | None] = field(default_factory=dict)
    _committed_offset: dict[TP, int | None] = field(default_factory=dict)

    def assignment(self) -> set[TP]:
        return set(self.highwaters)

    def highwater(self, tp: TP) -> int | None:
        return self.highwaters[tp]


def gauge(name: str, group: str, tp: TP) -> float | None:
    labels = {"group": group, "topic": tp.topic, "partition": str(tp.partition)}
    return REGISTRY.get_sample_value(f"zaiko_kafka_consumer_{name}", labels)


def test_lag_is_the_fetch_highwater_minus_the_committed_offset() -> None:
    group, a, b = f"g-{uuid.uuid4().hex[:6]}", TP("inventory.commands", 0), TP("x", 3)
    consumer = FakeConsumer({a: 120, b: 7}, {a: 100, b: 7})
    ConsumerLag(group).sample(consumer)
    assert (gauge("highwater", group, a), gauge("position", group, a)) == (120, 100)
    assert gauge("lag", group, a) == 20
    assert gauge("lag", group, b) == 0
    consumer._committed_offset[a] = 118
    consumer.highwaters[a] = 125
    ConsumerLag(group).sample(consumer)
    assert gauge("lag", group, a) == 7


def test_a_partition_without_a_fetch_or_commit_shows_only_what_is_known() -> None:
    group = f"g-{uuid.uuid4().hex[:6]}"
    unfetched, uncommitted, empty = TP("t", 0), TP("t", 1), TP("t", 2)
    consumer = FakeConsumer({unfetched: None, uncommitted: 40, empty: 0})
    ConsumerLag(group).sample(consumer)
    assert gauge("highwater", group, unfetched) is None
    assert gauge("highwater", group, uncommitted) == 40
    assert gauge("lag", group, uncommitted) is None
    assert gauge("lag", group, empty) == 0


def test_revoked_partitions_leave_no_series_behind() -> None:
    group, kept, revoked = f"g-{uuid.uuid4().hex[:6]}", TP("t", 0), TP("t", 1)
    lag = ConsumerLag(group)
    consumer = FakeConsumer({kept: 10, revoked: 20}, {kept: 5, revoked: 2})
    lag.sample(consumer)
    assert gauge("lag", group, revoked) == 18
    del consumer.highwaters[revoked]
    lag.sample(consumer)
    assert gauge("lag", group, kept) == 5
    for name in ("lag", "highwater", "position"):
        assert gauge(name, group, revoked) is None


def test_a_revocation_signal_removes_the_series_at_once() -> None:
    app = faust.App(f"lag-{uuid.uuid4().hex[:6]}", broker="kafka://127.0.0.1:1",
                    autodiscover=False)  # fmt: skip
    lag = register(app, interval_s=3600)
    tp = TP("inventory.commands", 2)
    lag.sample(FakeConsumer({tp: 9}, {tp: 4}))
    assert gauge("lag", app.conf.id, tp) == 5
    asyncio.run(app.on_partitions_revoked.send({tp}))
    assert gauge("lag", app.conf.id, tp) is None
    assert lag.series == set()
