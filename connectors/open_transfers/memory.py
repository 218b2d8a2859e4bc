"""An in-memory open-transfers index (tests, and a worker built without DynamoDB)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

from connectors.open_transfers.port import OpenTransfer, opened_by, transfer_key


class InMemoryOpenTransferIndex:
    """The index as a dict guarded by a lock; same rules as the DynamoDB one."""

    def __init__(self) -> None:
        self._entries: dict[str, OpenTransfer] = {}
        self._lock = threading.Lock()

    def open(self, transfer: OpenTransfer) -> None:
        """Write ``transfer``'s entry, replacing any entry of the same key (and its claim)."""
        with self._lock:
            self._entries[transfer.key] = replace(transfer, claimed_by=None, claimed_until_ms=0)

    def close(self, source: str, transfer_id: str, written_at_ms: int | None = None) -> bool:
        """Remove the entry; with ``written_at_ms``, only if it was not rewritten since."""
        key = transfer_key(source, transfer_id)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or written_at_ms not in (None, entry.written_at_ms):
                return False
            del self._entries[key]
            return True

    def close_opened(self, opened: OpenTransfer) -> bool:
        """Remove the entry only if ``opened``'s OUT leg wrote it, never a later transfer's."""
        with self._lock:
            entry = self._entries.get(opened.key)
            if entry is None or not opened_by(entry, opened):
                return False
            del self._entries[opened.key]
            return True

    def entries(self) -> Iterator[OpenTransfer]:
        """Yield every entry (a copy taken under the lock)."""
        with self._lock:
            current = list(self._entries.values())
        yield from current

    def claim(self, source: str, transfer_id: str, owner: str, now_ms: int, until_ms: int) -> bool:
        """Claim the entry for ``owner`` until ``until_ms`` unless another holds it."""
        key = transfer_key(source, transfer_id)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False
            if entry.claimed_by not in (None, owner) and entry.claimed_until_ms > now_ms:
                return False
            self._entries[key] = replace(entry, claimed_by=owner, claimed_until_ms=until_ms)
            return True
