"""Checkpoint stores: the DynamoDB checkpoints table and an in-memory fake."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.bridge.lease_item import LeaseView
from connectors.bridge.ports import Checkpoint, LeaseLostError


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


class SoleLease:
    """A lease nobody else wants: for a bridge on in-memory checkpoints (tests)."""

    owner = "sole"
    view: LeaseView | None = None

    def held(self) -> bool:
        """Always held."""
        return True

    def fence(self) -> int:
        """Return token 1."""
        return 1

    def try_acquire(self) -> bool:
        """Always succeeds."""
        return True

    def renew(self) -> bool:
        """Always succeeds."""
        return True

    def release(self) -> None:
        """Nothing to give up."""

    def forget(self) -> None:
        """Nothing to forget."""


class DynamoDBCheckpointStore:
    """``CheckpointStore`` on the checkpoints table (pk ``checkpoint_id``), fenced by a lease.

    Sequence numbers are kept as strings: DynamoDB Streams numbers may have up to 40
    digits, beyond the 38 digits a DynamoDB number holds exactly.

    ``fence`` returns the lease token of this bridge's hold (it raises when there is
    none). Each checkpoint carries the token of the bridge that wrote it; a load
    raises the stored token to ours and a save needs it to be no higher than ours.
    So once a new holder has read a checkpoint, a former holder (paused,
    partitioned) can neither move it back nor overwrite what the new one writes.
    """

    def __init__(self, client: Any, table_name: str, fence: Callable[[], int]) -> None:
        self._client = client
        self._table = table_name
        self._fence = fence

    def load(self, checkpoint_id: str) -> Checkpoint | None:
        """Return the checkpoint saved under ``checkpoint_id``, fencing out older holders."""
        try:
            item = self._client.update_item(
                TableName=self._table,
                Key={"checkpoint_id": {"S": checkpoint_id}},
                UpdateExpression="SET lease_token = :mine",
                **_FENCED,
                ExpressionAttributeValues={":mine": {"N": str(self._fence())}},
                ReturnValues="ALL_NEW",
            )["Attributes"]
        except self._client.exceptions.ConditionalCheckFailedException as e:
            raise LeaseLostError(f"a newer bridge holds {checkpoint_id}") from e
        return _checkpoint(checkpoint_id, item)

    def save(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint`` unless a newer lease holder has taken the shard over."""
        token = self._fence()
        item: dict[str, Any] = {
            "checkpoint_id": {"S": checkpoint.checkpoint_id},
            "closed": {"BOOL": checkpoint.closed},
            "updated_at": {"N": str(checkpoint.updated_at_ms)},
            "lease_token": {"N": str(token)},
        }
        if checkpoint.sequence_number is not None:
            item["sequence_number"] = {"S": checkpoint.sequence_number}
        try:
            self._client.put_item(
                TableName=self._table,
                Item=item,
                **_FENCED,
                ExpressionAttributeValues={":mine": {"N": str(token)}},
            )
        except self._client.exceptions.ConditionalCheckFailedException as e:
            raise LeaseLostError(f"a newer bridge holds {checkpoint.checkpoint_id}") from e


def read_checkpoint(client: Any, table_name: str, checkpoint_id: str) -> Checkpoint | None:
    """Return the checkpoint saved under ``checkpoint_id`` without fencing anyone (to look)."""
    item = client.get_item(
        TableName=table_name, Key={"checkpoint_id": {"S": checkpoint_id}}, ConsistentRead=True
    ).get("Item")
    return None if item is None else _checkpoint(checkpoint_id, item)


def _checkpoint(checkpoint_id: str, item: dict[str, Any]) -> Checkpoint | None:
    if "sequence_number" not in item and "closed" not in item:
        return None  # only a fence so far: never saved
    return Checkpoint(
        checkpoint_id=checkpoint_id,
        sequence_number=item["sequence_number"]["S"] if "sequence_number" in item else None,
        closed=bool(item.get("closed", {}).get("BOOL", False)),
        updated_at_ms=int(item.get("updated_at", {}).get("N", "0")),
    )


_FENCED = {"ConditionExpression": "attribute_not_exists(lease_token) OR lease_token <= :mine"}
