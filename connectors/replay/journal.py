"""Group the whole DynamoDB journal per aggregate in sequence order, and batch it for replay.

For when the topics are gone (the embedded broker keeps nothing across a restart). The
parallel Scan is connectors.journal_scan's; the entries are then grouped per aggregate
and sorted by sequence number, which is the only order the projector needs (aggregates
are independent of each other).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from connectors.eventstore.port import StoredEvent
from connectors.journal_scan import scan_entries
from connectors.replay.topics import Batch
from schemas import decode_event


def load_journal_events(
    client: Any, table_name: str, segments: int = 4
) -> dict[str, list[StoredEvent]]:
    """Return every journal event grouped per aggregate, each group in sequence order."""
    grouped: dict[str, list[StoredEvent]] = defaultdict(list)
    for entry in scan_entries(client, table_name, segments):
        grouped[entry.aggregate_id].extend(entry.events)
    for events in grouped.values():
        events.sort(key=lambda e: e.seq_nr)
    return dict(grouped)


def journal_batches(
    grouped: dict[str, list[StoredEvent]],
    batch_events: int = 20_000,
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[Batch]:
    """Yield the decoded events in batches, each aggregate's events in sequence order."""
    total = sum(len(events) for events in grouped.values())
    batch: Batch = []
    done = 0
    for events in grouped.values():
        for stored in events:
            batch.append(decode_event(stored.payload))
            if len(batch) >= batch_events:
                done += len(batch)
                yield batch
                batch = []
                if on_progress is not None:
                    on_progress(done, total)
    if batch:
        yield batch
    if on_progress is not None:
        on_progress(total, total)
