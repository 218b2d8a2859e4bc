"""The transfer process manager (plain Python, no Faust): see ``manager``."""

from __future__ import annotations

from streams.transfers.intent import IntentRecordingStore
from streams.transfers.manager import Drive, Settlement, TransferManager, TransferStuckError
from streams.transfers.model import Transfer, open_in, opening, outbound
from streams.transfers.sweep import Sweep

__all__ = [
    "Drive",
    "IntentRecordingStore",
    "Settlement",
    "Sweep",
    "Transfer",
    "TransferManager",
    "TransferStuckError",
    "open_in",
    "opening",
    "outbound",
]
