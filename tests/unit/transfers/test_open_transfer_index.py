"""The open-transfers index contract on the in-memory index."""

from __future__ import annotations

from connectors.open_transfers import InMemoryOpenTransferIndex, OpenTransferIndex
from tests.contract.open_transfer_index_contract import OpenTransferIndexContract


class TestInMemoryOpenTransferIndex(OpenTransferIndexContract):
    def make_index(self) -> OpenTransferIndex:
        return InMemoryOpenTransferIndex()
