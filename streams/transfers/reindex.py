"""Add index entries for transfers the journal holds open (``zaiko transfers reindex``).

For upgrades: transfers opened before the open-transfers index existed have no entry,
so no sweep would find them. This reads the journal once, on demand; never on a timer.
"""

from __future__ import annotations

from collections.abc import Iterable

from connectors.eventstore.port import JournalEntry
from connectors.open_transfers import OpenTransfer, OpenTransferIndex
from streams.transfers.model import open_in


def reindex(
    entries: Iterable[JournalEntry], index: OpenTransferIndex, now_ms: int
) -> list[OpenTransfer]:
    """Write an entry for each transfer open in ``entries`` that has none; return those added.

    An entry already there is kept as it is (a live worker may hold a claim on it). A
    transfer settled while the journal was being read gets an entry too: the next sweep
    finds it not pending and removes it.
    """
    listed = {entry.key for entry in index.entries()}
    added = [t for t in open_in(entries, written_at_ms=now_ms) if t.key not in listed]
    for transfer in added:
        index.open(transfer)
    return added
