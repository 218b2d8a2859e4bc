"""Batches are put in per-aggregate order; applied events are skipped; gaps are filled."""

from __future__ import annotations

import pytest

from connectors.postgres.gaps import GapError, by_aggregate, order_batch
from tests.unit.projections.builders import Scenario


def test_duplicates_and_already_applied_events_are_skipped() -> None:
    s = Scenario.fresh()
    story = s.full_story()
    src = s.inventory(s.w1)
    ordered = order_batch(by_aggregate(story + story[::-1]), {src: 3}, None)
    assert ordered.skipped == len(story) + 3
    assert [e.meta.sequence_nr for e in ordered.envelopes if e.meta.aggregate_id == src] == [
        4, 5, 6, 7, 8]  # fmt: skip
    assert ordered.gaps_healed == 0


def test_a_gap_is_filled_from_the_event_store_in_order() -> None:
    s = Scenario.fresh()
    story = s.full_story()
    src = s.inventory(s.w1)
    mine = [e for e in story if e.meta.aggregate_id == src]
    ordered = order_batch(by_aggregate([mine[1], mine[6]]), {src: 1}, s.recorder.store())
    assert [e.meta.sequence_nr for e in ordered.envelopes] == [2, 3, 4, 5, 6, 7]
    assert [e.meta.event_id for e in ordered.envelopes] == [e.meta.event_id for e in mine[1:7]]
    assert (ordered.gaps_healed, ordered.events_fetched) == (1, 4)


def test_a_gap_without_an_event_store_is_an_error_not_a_silent_skip() -> None:
    s = Scenario.fresh()
    src = s.inventory(s.w1)
    mine = [e for e in s.full_story() if e.meta.aggregate_id == src]
    with pytest.raises(GapError):
        order_batch(by_aggregate([mine[3]]), {src: 1}, None)
