"""Read the whole DynamoDB journal with a parallel Scan, per aggregate in sequence order.

For when the topics are gone (the embedded broker keeps nothing across a restart). Each
Scan segment runs in its own thread with its own pages; the entries are then grouped
per aggregate and sorted by sequence number, which is the only order the projector
needs (aggregates are independent of each other).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from connectors.eventstore.items import entry_from_item
from connectors.eventstore.port import StoredEvent
from connectors.replay.topics import Batch
from schemas import decode_event


def scan_segment(client: Any, table_name: str, segment: int, segments: int) -> list[StoredEvent]:
    """Return the events of every item in one Scan segment."""
    kwargs: dict[str, Any] = {"TableName": table_name, "ConsistentRead": True,
                              "Segment": segment, "TotalSegments": segments}  # fmt: skip
    events: list[StoredEvent] = []
    while True:
        page = client.scan(**kwargs)
        for item in page.get("Items", []):
            events.extend(entry_from_item(item).events)
        if "LastEvaluatedKey" not in page:
            return events
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def load_journal_events(
    client: Any, table_name: str, segments: int = 4
) -> dict[str, list[StoredEvent]]:
    """Return every journal event grouped per aggregate, each group in sequence order."""
    with ThreadPoolExecutor(max_workers=segments) as pool:
        parts = pool.map(lambda s: scan_segment(client, table_name, s, segments), range(segments))
        grouped: dict[str, list[StoredEvent]] = defaultdict(list)
        for part in parts:
            for event in part:
                grouped[event.aggregate_id].append(event)
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
