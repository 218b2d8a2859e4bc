"""Read the whole DynamoDB journal with a parallel Scan: one thread per segment.

One Query per aggregate would cost a round trip per aggregate; a Scan split into
segments, each paginated in its own thread, costs a few hundred pages instead. Shared by
the audit, the replay and ``zaiko transfers reindex``: readers run on demand, never on a
timer or at start-up (a Scan grows with the whole history).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from connectors.eventstore.errors import UnreadableItemError
from connectors.eventstore.items import entry_from_item
from connectors.eventstore.port import JournalEntry

PROGRESS_EVERY = 100  # items between two progress calls of one segment


def scan_pages(
    client: Any,
    table: str,
    segment: int = 0,
    segments: int = 1,
    aggregate_type: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield every raw item of one Scan segment (of ``aggregate_type`` only, if given)."""
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True,
                              "Segment": segment, "TotalSegments": segments}  # fmt: skip
    if aggregate_type is not None:
        kwargs["FilterExpression"] = "aggregate_type = :t"
        kwargs["ExpressionAttributeValues"] = {":t": {"S": aggregate_type}}
    while True:
        page = client.scan(**kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def scan_entries(
    client: Any,
    table: str,
    segments: int = 4,
    keep: Callable[[str], object] | None = None,
    aggregate_type: str | None = None,
    unreadable: list[UnreadableItemError] | None = None,
    progress: Callable[[int], object] | None = None,
) -> list[JournalEntry]:
    """Return the journal's entries (of aggregates whose id ``keep`` accepts), segment by segment.

    Entries come in Scan order, not sequence order: callers group and sort what they need.
    An item that is not an entry raises ``UnreadableItemError``; with ``unreadable`` given,
    it is added there instead and the scan goes on. ``progress`` is called with the
    number of items of each page read, from the segments' threads.
    """

    def read(segment: int) -> list[JournalEntry]:
        entries = []
        read_items = 0
        for read_items, item in enumerate(scan_pages(client, table, segment, segments,
                                                     aggregate_type), 1):  # fmt: skip
            if progress is not None and read_items % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
            if keep is not None and not keep(item.get("aggregate_id", {}).get("S", "")):
                continue
            try:
                entries.append(entry_from_item(item))
            except UnreadableItemError as e:
                if unreadable is None:
                    raise
                unreadable.append(e)  # list.append is atomic: segments may share the list
        if progress is not None and read_items % PROGRESS_EVERY:
            progress(read_items % PROGRESS_EVERY)
        return entries

    with ThreadPoolExecutor(segments, thread_name_prefix="zaiko-journal-scan") as pool:
        return [entry for part in pool.map(read, range(segments)) for entry in part]
