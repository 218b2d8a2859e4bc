"""A journal item that is not an entry is a finding of the audit, not its crash."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.audit.compare import UNREADABLE_CHECK, unreadable_differences
from connectors.eventstore import UnreadableItemError
from connectors.journal_scan import scan_entries
from tests.unit.bridge.fakes import entry, record


class OnePageScan:
    """A client whose Scan answers every segment with ``items`` on segment 0 only."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items

    def scan(self, **kwargs: Any) -> dict[str, Any]:
        return {"Items": self.items if kwargs["Segment"] == 0 else []}


def items() -> list[dict[str, Any]]:
    good = [record(entry("INV-A", n))["dynamodb"]["NewImage"] for n in (1, 2)]
    broken = record(entry("INV-B", 5))["dynamodb"]["NewImage"]
    del broken["events"]
    return [good[0], broken, {"seq_nr": {"N": "1"}}, good[1]]  # the last has no aggregate id


def test_the_scan_sets_unreadable_items_aside_when_asked_and_reads_the_rest() -> None:
    unreadable: list[UnreadableItemError] = []

    entries = scan_entries(OnePageScan(items()), "journal", segments=2, unreadable=unreadable)

    assert [(e.aggregate_id, e.first_seq_nr) for e in entries] == [("INV-A", 1), ("INV-A", 2)]
    assert sorted(e.key for e in unreadable) == ["?/1", "INV-B/5"]
    findings = unreadable_differences(unreadable)
    assert {(d.check, d.subject) for d in findings} == {(UNREADABLE_CHECK, "INV-B/5"),
                                                         (UNREADABLE_CHECK, "?/1")}  # fmt: skip


def test_without_a_place_for_them_an_unreadable_item_is_a_typed_error() -> None:
    with pytest.raises(UnreadableItemError, match="INV-B/5"):
        scan_entries(OnePageScan(items()), "journal", segments=1)


def test_a_match_skips_items_without_an_aggregate_id_instead_of_failing() -> None:
    unreadable: list[UnreadableItemError] = []
    entries = scan_entries(OnePageScan(items()), "journal", 1, lambda a: a == "INV-A",
                           unreadable=unreadable)  # fmt: skip
    assert len(entries) == 2 and unreadable == []
