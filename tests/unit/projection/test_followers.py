"""What the cache and the detector are given once Postgres has committed a batch."""

from __future__ import annotations

from typing import Any

import pytest

from schemas import EventEnvelope
from streams.projection.followers import plan_followers
from tests.unit.alerts.events import fresh_inventory, stock_at

INV = fresh_inventory()
STORY = [stock_at(INV, seq, 50 - seq) for seq in range(1, 9)]


def seqs(envelopes: list[EventEnvelope[Any]]) -> list[int]:
    return [e.meta.sequence_nr for e in envelopes]


def from_store(aggregate_id: str, low: int, high: int) -> list[EventEnvelope[Any]]:
    assert aggregate_id == INV
    return [e for e in STORY if low < e.meta.sequence_nr <= high]


def test_a_fresh_contiguous_batch_goes_to_the_cache_as_is() -> None:
    plan = plan_followers(STORY[2:5] + STORY[2:3], {INV: 2}, {INV: 5}, None)
    assert (seqs(plan.fresh), seqs(plan.redelivered), seqs(plan.observed)) == (
        [3, 4, 5], [], [3, 4, 5]
    )  # fmt: skip


def test_events_the_read_model_held_already_only_invalidate() -> None:
    plan = plan_followers(STORY[:3], {INV: 5}, {INV: 5}, from_store)
    assert (seqs(plan.fresh), seqs(plan.redelivered), seqs(plan.observed)) == (
        [], [1, 2, 3], [1, 2, 3]
    )  # fmt: skip


def test_a_healed_gap_gives_the_cache_and_detector_the_fetched_events_too() -> None:
    batch = [STORY[5], STORY[1], STORY[7]]  # 6, 2, 8 with 1 applied before
    plan = plan_followers(batch, {INV: 1}, {INV: 8}, from_store)
    assert seqs(plan.fresh) == [2, 3, 4, 5, 6, 7, 8]
    assert seqs(plan.observed) == [2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize("fetch", [None, lambda *_: [], lambda *_: 1 / 0])
def test_a_range_that_cannot_be_completed_is_invalidated_instead(fetch: Any) -> None:
    plan = plan_followers([STORY[1], STORY[3]], {INV: 1}, {INV: 4}, fetch)
    assert (seqs(plan.fresh), seqs(plan.redelivered)) == ([], [2, 4])
