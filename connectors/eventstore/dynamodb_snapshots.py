"""Snapshots on DynamoDB: one item per aggregate, its latest, read back with one GetItem.

The item sits under the fixed sort key 0 (``items.LATEST_SNAPSHOT_KEY``) and carries
its version; a save replaces it only with a later version (a conditional PutItem), so
a slow writer never puts an older state back. Items keyed by version (written before
this layout) are ignored: the first cold load after the change replays the journal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connectors.eventstore.errors import EventStoreError
from connectors.eventstore.items import LATEST_SNAPSHOT_KEY, snapshot_from_item, snapshot_to_item
from connectors.eventstore.port import RecentCommand, Snapshot


class DynamoDBSnapshotStore:
    """``SnapshotStore`` on the snapshots table, through an injected low-level client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def save(
        self,
        aggregate_id: str,
        version: int,
        state: bytes,
        recent_commands: Sequence[RecentCommand] = (),
    ) -> None:
        """Keep ``state`` as the latest unless a later version is kept already."""
        if version < 1:
            raise ValueError(f"a snapshot needs a version >= 1, got {version}")
        snapshot = Snapshot(aggregate_id, version, bytes(state), tuple(recent_commands))
        try:
            self._client.put_item(
                TableName=self._table,
                Item=snapshot_to_item(snapshot),
                ConditionExpression="attribute_not_exists(seq_nr) OR version < :v",
                ExpressionAttributeValues={":v": {"N": str(version)}},
            )
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return  # a later (or the same) version is kept already
            raise EventStoreError(f"saving snapshot {aggregate_id}@{version} failed: {e}") from e
        except BotoCoreError as e:
            raise EventStoreError(f"saving snapshot {aggregate_id}@{version} failed: {e}") from e

    def latest(self, aggregate_id: str) -> Snapshot | None:
        """Return the latest snapshot, if any (one GetItem)."""
        key = {"aggregate_id": {"S": aggregate_id}, "seq_nr": {"N": str(LATEST_SNAPSHOT_KEY)}}
        try:
            found = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        except (BotoCoreError, ClientError) as e:
            raise EventStoreError(f"reading snapshot of {aggregate_id} failed: {e}") from e
        item = found.get("Item")
        return snapshot_from_item(item) if item else None
