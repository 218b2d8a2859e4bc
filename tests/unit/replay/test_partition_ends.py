"""A partition's replay ends at the first fetch high watermark seen for it."""

from __future__ import annotations

from connectors.replay.watermarks import PartitionEnds

P0, P1 = ("inventory.events", 0), ("inventory.events", 1)


def test_a_partition_is_done_once_read_up_to_its_first_high_watermark() -> None:
    ends = PartitionEnds({P0})
    ends.observe_end(P0, 3)
    ends.observe_end(P0, 9)  # records appended meanwhile belong to the live projector
    for offset in range(3):
        assert ends.wanted(P0, offset) and not ends.done(P0)
        ends.consumed(P0, offset)
    assert ends.done(P0) and ends.finished
    assert not ends.wanted(P0, 3)


def test_nothing_is_done_before_any_high_watermark_is_known() -> None:
    ends = PartitionEnds({P0})
    ends.consumed(P0, 0)
    assert ends.wanted(P0, 1) and not ends.done(P0) and not ends.finished


def test_an_empty_partition_is_done_at_its_eof() -> None:
    ends = PartitionEnds({P0, P1})
    ends.reached(P1, 0)
    assert ends.done(P1) and not ends.finished
    ends.observe_end(P0, 2)
    ends.consumed(P0, 0)
    ends.reached(P0, 2)
    assert ends.finished and ends.known_total == 2


def test_records_after_a_compacted_gap_still_reach_the_end() -> None:
    ends = PartitionEnds({P0})
    ends.observe_end(P0, 10)
    ends.consumed(P0, 4)  # offsets 0-3 were deleted by retention
    ends.consumed(P0, 9)
    assert ends.finished
