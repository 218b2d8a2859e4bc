"""Drive the open transfers the live path left behind, found in the open-transfers index.

The live path (the OUT event on ``inventory.events``) settles a transfer within
milliseconds and removes its entry; the sweep, at start-up and then periodically, only
catches what a crash, an exhausted retry or a lost event left open. It never reads the
journal's history.

Cost of one sweep, as a function of what it reads: ⌈E / 100⌉ Scan requests on the
open-transfers table, where E is its number of entries (the open transfers, plus
intents whose OUT never landed, each removed by the sweep that finds it); then, for each
of the D entries older than the grace period and not claimed by another worker: one
UpdateItem (the claim), one drive and one DeleteItem. A drive loads the source and the
destination (GetItems on their journal entries after the cached version; a snapshot
lookup when not cached), reads the former IN step ids' outcomes (one BatchGetItem), and
per step reads its outcome, appends and records (GetItem, PutItem, PutItem): about 12
requests for a transfer that completes. So O(E + 12·D) requests, independent of the
journal's size; with nothing due, one Scan of a table of E items. Measured at D商事's
size: ``zaiko bench sweep`` (figures in docs/decisions.md).

Several workers: each one's sweep sees every entry. A drive is safe to repeat
(deterministic step ids), but to avoid needless duplicates a worker first claims the
entry for ``claim_s`` (a conditional UpdateItem); a worker that dies mid-drive leaves a
claim that expires, and the next sweep after that drives the transfer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from connectors.open_transfers import OpenTransfer, OpenTransferIndex
from streams.transfers.manager import Drive, TransferManager
from streams.transfers.model import Transfer

log = logging.getLogger(__name__)
GRACE_S = 30.0  # the live path's time to settle a new transfer before the sweep steps in
CLAIM_S = 120.0  # how long one worker's claim on an entry keeps the others off it


@dataclass
class Sweep:
    """One worker's recovery sweep over the open-transfers index (call it to run once)."""

    manager: TransferManager
    index: OpenTransferIndex
    owner: str
    grace_s: float = GRACE_S
    claim_s: float = CLAIM_S
    clock: Callable[[], float] = field(default=time.time)

    def __call__(self) -> list[Drive]:
        """Drive every entry older than the grace period; one failure does not stop the rest."""
        now_ms = round(self.clock() * 1000)
        due = [e for e in self.index.entries() if self._due(e, now_ms)]
        drives = []
        for entry in due:
            until_ms = now_ms + round(self.claim_s * 1000)
            if not self.index.claim(entry.source, entry.transfer_id, self.owner, now_ms, until_ms):
                continue  # another worker drives it, or it was settled meanwhile
            try:
                drive = self.manager.drive(Transfer.of(entry))
            except Exception:
                log.exception("sweep: transfer %s of %s still open", entry.transfer_id,
                              entry.source)  # fmt: skip
                continue
            # conditional: a rewrite since the scan is an OUT still on its way; keep it
            self.index.close(entry.source, entry.transfer_id, entry.written_at_ms)
            drives.append(drive)
        if drives:
            log.info("sweep drove %d open transfer(s)", len(drives))
        return drives

    def _due(self, entry: OpenTransfer, now_ms: int) -> bool:
        if now_ms - entry.written_at_ms < self.grace_s * 1000:
            return False  # the live path is on it
        held = entry.claimed_by not in (None, self.owner)
        return not (held and entry.claimed_until_ms > now_ms)
