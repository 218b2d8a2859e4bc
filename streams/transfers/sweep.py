"""Find and drive every pending transfer from the journal (start-up and periodic recovery).

Why a journal scan: the journal is the only truth and is append-only, so a pending
transfer cannot be kept in a sparse index (settling would have to delete an index
entry in a second, non-atomic write), and a separate process table would be a second
truth to keep in step. A scan costs one pass over the journal, done at start-up and
then every few minutes, off the hot path; at ~2,000 movements a day that stays small.
The live path (the OUT event on ``inventory.events``) settles transfers within
milliseconds; the sweep only catches what a crash or an exhausted retry left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from connectors.eventstore.items import entry_from_item
from connectors.eventstore.port import JournalEntry
from connectors.journal_scan import scan_pages
from streams.transfers.manager import Drive, TransferManager
from streams.transfers.model import pending_in

log = logging.getLogger(__name__)
# Items per Scan request. The sweep shares the store with the command path: a 1 MB page
# kept the embedded DynamoDB (which answers one request at a time) busy for about two
# seconds, and every command in flight waited. Small pages let commands in between.
SWEEP_PAGE_SIZE = 100


class JournalScan:
    """Yield every inventory entry of the DynamoDB journal (a filtered Scan, paginated)."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def __call__(self) -> Iterator[JournalEntry]:
        items = scan_pages(self._client, self._table, aggregate_type="inventory",
                           page_size=SWEEP_PAGE_SIZE)  # fmt: skip
        for item in items:
            yield entry_from_item(item)


def sweep(manager: TransferManager, entries: Iterable[JournalEntry]) -> list[Drive]:
    """Drive every transfer pending in ``entries``; one failure does not stop the rest."""
    drives = []
    for transfer in pending_in(entries):
        try:
            drives.append(manager.drive(transfer))
        except Exception:
            log.exception("sweep: transfer %s still pending", transfer.transfer_id)
    if drives:
        log.info("sweep drove %d pending transfer(s)", len(drives))
    return drives
