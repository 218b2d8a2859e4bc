"""The projector's metrics: events by outcome, lag in events and seconds, parked aggregates."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from prometheus_client import REGISTRY

from streams.projection import BatchResult, DeadLetter, Record
from streams.projector.lag import LagSampler, Progress
from streams.projector.runtime import ProjectionRuntime
from tests.unit.projection.test_projection_runtime import FakeApp

NOW_S = 1_800_000_000.0


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def events(aggregate_type: str, outcome: str) -> float:
    labels = {"aggregate_type": aggregate_type, "outcome": outcome}
    return sample("zaiko_projection_events_total", **labels)


@dataclass(frozen=True)
class TP:
    topic: str
    partition: int


class Consumer:
    """The part of Faust's consumer the sampler reads: assignment, highwater, position."""

    def __init__(self, highwaters: dict[TP, int | None], positions: dict[TP, int]) -> None:
        self.highwaters, self.positions = highwaters, positions

    def assignment(self) -> set[TP]:
        return set(self.highwaters)

    def highwater(self, tp: TP) -> int | None:
        return self.highwaters[tp]

    async def position(self, tp: TP) -> int:
        return self.positions[tp]


def records(partition: int, offsets: range) -> list[Record]:
    return [Record("warehouse-zone.events", partition, o, b"k", b"v") for o in offsets]


class Handler:
    def project(self, batch: Any) -> BatchResult:
        dead = [DeadLetter(batch[0], "KeyMismatch: key 'a' but aggregate 'b'")]
        return BatchResult(dead_letters=dead, applied=len(batch) - 2, newest_occurred_s=NOW_S - 7)

    def close(self) -> None:
        pass


def test_a_projected_batch_counts_its_events_by_outcome_and_its_dead_letters_by_reason() -> None:
    outcomes = ("applied", "skipped", "dead_lettered")
    before = {o: events("warehouse-zone", o) for o in outcomes}
    letters = sample("zaiko_dead_letters_total", service="projector", reason="KeyMismatch")
    runtime = ProjectionRuntime(FakeApp(failures=0), {"warehouse-zone": Handler})  # type: ignore[arg-type]
    try:
        asyncio.run(runtime.process("warehouse-zone", records(1, range(10, 20))))
    finally:
        runtime.close()

    moved = {o: events("warehouse-zone", o) - b for o, b in before.items()}
    assert moved == {"applied": 8, "skipped": 1, "dead_lettered": 1}
    assert sample("zaiko_dead_letters_total", service="projector", reason="KeyMismatch") == (
        letters + 1
    )
    assert runtime.progress.next_offsets[("warehouse-zone.events", 1)] == 20
    assert runtime.progress.newest_occurred_s["warehouse-zone"] == NOW_S - 7


def test_lag_sums_highwater_minus_the_next_offset_over_the_event_topics_partitions() -> None:
    progress = Progress()
    progress.record(
        "warehouse-zone", records(0, range(0, 40)), BatchResult(newest_occurred_s=NOW_S - 30)
    )
    p0, p1, p2 = (
        TP("warehouse-zone.events", 0),
        TP("warehouse-zone.events", 1),
        TP("warehouse-zone.events", 2),
    )
    other = TP("command.results", 0)  # not an event topic: never counted
    consumer = Consumer({p0: 55, p1: 12, p2: None, other: 900}, {p1: 5, p2: 0, other: 0})
    sampler = LagSampler(progress, lambda: {}, clock=lambda: NOW_S)

    behind = asyncio.run(sampler.sample(consumer))

    # p0: 55 - 40 projected here; p1: 12 - 5 where the consumer fetches; p2: no Fetch yet
    assert behind["warehouse-zone"] == 22 and behind["inventory"] == 0
    assert sample("zaiko_projection_lag_events", aggregate_type="warehouse-zone") == 22
    assert sample("zaiko_projection_lag_seconds", aggregate_type="warehouse-zone") == 30
    assert sample("zaiko_projection_lag_seconds", aggregate_type="inventory") == 0


def test_lag_in_seconds_is_zero_once_caught_up_and_counts_from_first_seen_without_events() -> None:
    clock = [NOW_S]
    sampler = LagSampler(Progress(), lambda: {}, clock=lambda: clock[0])
    tp = TP("product.events", 0)
    asyncio.run(sampler.sample(Consumer({tp: 9}, {tp: 0})))
    clock[0] += 12
    asyncio.run(sampler.sample(Consumer({tp: 9}, {tp: 0})))
    assert sample("zaiko_projection_lag_seconds", aggregate_type="product") == 12

    asyncio.run(sampler.sample(Consumer({tp: 9}, {tp: 9})))
    assert sample("zaiko_projection_lag_events", aggregate_type="product") == 0
    assert sample("zaiko_projection_lag_seconds", aggregate_type="product") == 0


def test_parked_aggregates_are_set_per_type_and_types_with_none_read_zero() -> None:
    sampler = LagSampler(Progress(), lambda: {"inventory": 3, "warehouse-zone": 1})
    sampler.sample_parked()
    assert sample("zaiko_projection_parked_aggregates", aggregate_type="inventory") == 3
    assert sample("zaiko_projection_parked_aggregates", aggregate_type="warehouse-zone") == 1
    assert sample("zaiko_projection_parked_aggregates", aggregate_type="customer") == 0


def test_a_partition_given_away_and_back_counts_from_where_the_consumer_fetches() -> None:
    progress = Progress()
    progress.record("warehouse-zone", records(0, range(0, 100)), BatchResult())
    p0 = TP("warehouse-zone.events", 0)
    sampler = LagSampler(progress, lambda: {}, clock=lambda: NOW_S)
    asyncio.run(sampler.sample(Consumer({}, {})))  # revoked: another projector runs it on
    # back here at 10,000, projected elsewhere meanwhile: not 9,900 behind
    behind = asyncio.run(sampler.sample(Consumer({p0: 10_000}, {p0: 10_000})))
    assert behind["warehouse-zone"] == 0
