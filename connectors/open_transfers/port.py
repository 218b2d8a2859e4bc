"""The open-transfers index: one entry per transfer that may still need driving.

An entry is written before the journal append of a transfer's OUT leg and removed once
the transfer is settled, so the index holds the open transfers plus, briefly, intents
whose OUT never landed (a refused or conflicting append); those are found not pending
and removed by the next sweep. Its size is the number of open transfers, never the
journal's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OpenTransfer:
    """An open transfer as its OUT leg described it.

    ``written_at_ms`` is when this entry was last written (the sweep's grace period and
    its conditional removal go by it); ``opened_at_ms`` is when the OUT leg occurred;
    ``out_sequence_nr`` is the OUT leg's sequence number, which names the transfer for
    good (None: a leg from before transfers were named, or an entry written before
    entries kept it).
    """

    source: str
    transfer_id: str
    destination: str
    quantity: int
    opened_at_ms: int
    written_at_ms: int
    correlation_id: str = ""
    operator: str | None = None
    note: str | None = None
    claimed_by: str | None = None
    claimed_until_ms: int = 0
    out_sequence_nr: int | None = None

    @property
    def key(self) -> str:
        """The entry's key: transfer ids are unique per source inventory only."""
        return transfer_key(self.source, self.transfer_id)


def transfer_key(source: str, transfer_id: str) -> str:
    """Return ``<source inventory id>/<transfer id>`` ('/' occurs in neither id)."""
    return f"{source}/{transfer_id}"


def opened_by(entry: OpenTransfer, opened: OpenTransfer) -> bool:
    """Tell whether ``entry`` is the one ``opened``'s OUT leg wrote (``close_opened``'s rule)."""
    if entry.key != opened.key:
        return False
    if entry.out_sequence_nr is not None:
        return entry.out_sequence_nr == opened.out_sequence_nr
    return entry.opened_at_ms == opened.opened_at_ms


class OpenTransferIndex(Protocol):
    """Where open transfers are found without reading the journal."""

    def open(self, transfer: OpenTransfer) -> None:
        """Write ``transfer``'s entry, replacing any entry of the same key (and its claim)."""
        ...

    def close(self, source: str, transfer_id: str, written_at_ms: int | None = None) -> bool:
        """Remove the entry; with ``written_at_ms``, only if it was not rewritten since.

        Returns whether an entry was removed (False: none, or a newer one stays).
        """
        ...

    def close_opened(self, opened: OpenTransfer) -> bool:
        """Remove the entry only if ``opened``'s OUT leg wrote it, never a later transfer's.

        A transfer id comes back once it has left the source's settled window, under
        the same key, so a late OUT event of the earlier transfer must not remove the
        later one's entry. The entry is ``opened``'s when it holds the same
        ``out_sequence_nr``; an entry without one (written before entries kept it)
        when it holds the same ``opened_at_ms``. Returns whether an entry was removed.
        """
        ...

    def entries(self) -> Iterator[OpenTransfer]:
        """Yield every entry, in no particular order (paginated: reads the index only)."""
        ...

    def claim(self, source: str, transfer_id: str, owner: str, now_ms: int, until_ms: int) -> bool:
        """Claim the entry for ``owner`` until ``until_ms`` unless another holds it at ``now_ms``.

        False when the entry is gone or another owner's claim has not expired.
        """
        ...
