"""The recovery sweep reads the journal in small pages, filtered to inventories."""

from __future__ import annotations

from typing import Any

from connectors.eventstore.items import entry_to_item
from connectors.eventstore.port import JournalEntry, StoredEvent
from streams.transfers.sweep import SWEEP_PAGE_SIZE, JournalScan


def _item(aggregate_id: str) -> dict[str, Any]:
    event = StoredEvent(aggregate_id, 1, f"evt-{aggregate_id}", "StockReceived_V1", b"x",
                        1_700_000_000_000, f"cmd-{aggregate_id}")  # fmt: skip
    entry = JournalEntry(aggregate_id, "inventory", 1, 1, f"cmd-{aggregate_id}",
                         f"cmd-{aggregate_id}", (event,))  # fmt: skip
    return entry_to_item(entry, written_at_ms=1_700_000_000_000)


class PagedJournal:
    """A scan-only client: answers ``Limit`` items a page and records each request."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.requests: list[dict[str, Any]] = []

    def scan(self, **kwargs: Any) -> dict[str, Any]:
        self.requests.append(kwargs)
        start = kwargs.get("ExclusiveStartKey", {"at": 0})["at"]
        end = start + kwargs.get("Limit", len(self.items))
        page: dict[str, Any] = {"Items": self.items[start:end]}
        if end < len(self.items):
            page["LastEvaluatedKey"] = {"at": end}
        return page


def test_the_sweep_reads_every_inventory_entry_a_small_page_at_a_time() -> None:
    ids = [f"PRD-{i:06d}@TKY-01" for i in range(SWEEP_PAGE_SIZE * 2 + 7)]
    journal = PagedJournal([_item(i) for i in ids])

    entries = list(JournalScan(journal, "zaiko-journal")())

    assert [e.aggregate_id for e in entries] == ids
    assert len(journal.requests) == 3
    for request in journal.requests:
        assert request["Limit"] == SWEEP_PAGE_SIZE
        assert request["FilterExpression"] == "aggregate_type = :t"
        assert request["ExpressionAttributeValues"] == {":t": {"S": "inventory"}}
