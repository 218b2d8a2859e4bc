"""The transfer process manager (plain Python, no Faust): see ``manager``."""

from __future__ import annotations

from streams.transfers.manager import Drive, Settlement, TransferManager, TransferStuckError
from streams.transfers.model import Transfer, outbound, pending_in
from streams.transfers.sweep import JournalScan, sweep

__all__ = [
    "Drive",
    "JournalScan",
    "Settlement",
    "Transfer",
    "TransferManager",
    "TransferStuckError",
    "outbound",
    "pending_in",
    "sweep",
]
