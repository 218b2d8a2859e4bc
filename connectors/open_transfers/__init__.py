"""The open-transfers index (port, DynamoDB and in-memory adapters)."""

from __future__ import annotations

from connectors.open_transfers.dynamodb import DynamoDBOpenTransferIndex
from connectors.open_transfers.errors import OpenTransferIndexError
from connectors.open_transfers.memory import InMemoryOpenTransferIndex
from connectors.open_transfers.port import OpenTransfer, OpenTransferIndex, transfer_key

__all__ = [
    "DynamoDBOpenTransferIndex",
    "InMemoryOpenTransferIndex",
    "OpenTransfer",
    "OpenTransferIndex",
    "OpenTransferIndexError",
    "transfer_key",
]
