"""Re-publish the whole journal to the event topics (after the broker lost its topics)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectors.bridge.messages import messages_for_entry
from connectors.bridge.ports import EventMessage, Publisher
from connectors.eventstore.items import entry_from_item
from connectors.eventstore.port import JournalEntry
from connectors.journal_scan import scan_pages

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RepublishReport:
    """How much was re-published."""

    aggregates: int
    entries: int
    events: int


def load_journal(
    client: Any, table_name: str, on_scanned: Callable[[int], None] | None = None
) -> dict[str, list[JournalEntry]]:
    """Return every journal entry grouped per aggregate, in sequence order.

    The whole journal is held in memory: fine for this wholesaler's volume (thousands
    of entries a day); a far larger journal would need a per-aggregate Query instead.
    """
    grouped: dict[str, list[JournalEntry]] = defaultdict(list)
    for count, item in enumerate(scan_pages(client, table_name), start=1):
        entry = entry_from_item(item)
        grouped[entry.aggregate_id].append(entry)
        if on_scanned is not None and count % 500 == 0:
            on_scanned(count)
    for entries in grouped.values():
        entries.sort(key=lambda e: e.first_seq_nr)
    return dict(grouped)


def republish(
    journal: dict[str, list[JournalEntry]],
    publisher: Publisher,
    on_published: Progress | None = None,
    batch_events: int = 5000,
) -> RepublishReport:
    """Publish every entry's events, each aggregate in sequence order; report counts."""
    total = sum(len(entries) for entries in journal.values())
    done = events = 0
    batch: list[EventMessage] = []
    for entries in journal.values():
        for entry in entries:
            batch.extend(messages_for_entry(entry))
            done += 1
            if len(batch) >= batch_events or done == total:
                publisher.publish(batch)
                events += len(batch)
                batch = []
                if on_published is not None:
                    on_published(done, total)
    return RepublishReport(len(journal), total, events)
