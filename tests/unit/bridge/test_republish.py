"""Re-publishing the journal: every aggregate's events in sequence order."""

from __future__ import annotations

import random
from typing import Any

from connectors.bridge.republish import load_journal, republish
from connectors.eventstore.items import entry_to_item
from tests.unit.bridge.fakes import RecordingPublisher, entry


class FakeScanClient:
    """Returns the items in pages of ``page`` items, following ExclusiveStartKey."""

    def __init__(self, items: list[dict[str, Any]], page: int = 3) -> None:
        self.items, self.page = items, page

    def scan(self, **kwargs: Any) -> Any:
        start = kwargs.get("ExclusiveStartKey", {}).get("i", 0)
        response: dict[str, Any] = {"Items": self.items[start : start + self.page]}
        if start + self.page < len(self.items):
            response["LastEvaluatedKey"] = {"i": start + self.page}
        return response


def test_every_aggregate_is_republished_in_sequence_order() -> None:
    entries = [entry(f"INV-{a}", first_seq=1 + 2 * k, n_events=2) for a in "ABC" for k in range(4)]
    items = [entry_to_item(e, written_at_ms=0) for e in entries]
    random.Random(7).shuffle(items)
    publisher = RecordingPublisher()
    progress: list[tuple[int, int]] = []

    journal = load_journal(FakeScanClient(items), "t-journal")
    report = republish(
        journal, publisher, on_published=lambda d, t: progress.append((d, t)), batch_events=5
    )

    for a in "ABC":
        assert publisher.seqs(f"INV-{a}") == [(f"INV-{a}", n) for n in range(1, 9)]
    assert (report.aggregates, report.entries, report.events) == (3, 12, 24)
    assert progress[-1] == (12, 12)
