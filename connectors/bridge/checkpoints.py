"""Checkpoint stores: the DynamoDB checkpoints table and an in-memory fake."""

from __future__ import annotations

from typing import Any

from connectors.bridge.ports import Checkpoint


class InMemoryCheckpointStore:
    """``CheckpointStore`` in a dict; keeps every saved version for tests to inspect."""

    def __init__(self) -> None:
        self.history: list[Checkpoint] = []
        self._latest: dict[str, Checkpoint] = {}

    def load(self, checkpoint_id: str) -> Checkpoint | None:
        """Return the latest checkpoint under ``checkpoint_id``."""
        return self._latest.get(checkpoint_id)

    def save(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint``."""
        self.history.append(checkpoint)
        self._latest[checkpoint.checkpoint_id] = checkpoint


class DynamoDBCheckpointStore:
    """``CheckpointStore`` on the checkpoints table (pk ``checkpoint_id``).

    Sequence numbers are kept as strings: DynamoDB Streams numbers may have up to 40
    digits, beyond the 38 digits a DynamoDB number holds exactly. One bridge process
    per ``bridge_id`` writes its checkpoints, so a plain PutItem is enough.
    """

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def load(self, checkpoint_id: str) -> Checkpoint | None:
        """Return the checkpoint saved under ``checkpoint_id`` (consistent read)."""
        item = self._client.get_item(
            TableName=self._table,
            Key={"checkpoint_id": {"S": checkpoint_id}},
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None
        return Checkpoint(
            checkpoint_id=checkpoint_id,
            sequence_number=item["sequence_number"]["S"] if "sequence_number" in item else None,
            closed=bool(item.get("closed", {}).get("BOOL", False)),
            updated_at_ms=int(item.get("updated_at", {}).get("N", "0")),
        )

    def save(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint``."""
        item: dict[str, Any] = {
            "checkpoint_id": {"S": checkpoint.checkpoint_id},
            "closed": {"BOOL": checkpoint.closed},
            "updated_at": {"N": str(checkpoint.updated_at_ms)},
        }
        if checkpoint.sequence_number is not None:
            item["sequence_number"] = {"S": checkpoint.sequence_number}
        self._client.put_item(TableName=self._table, Item=item)
