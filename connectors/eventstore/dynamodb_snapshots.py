"""Snapshots on DynamoDB: one item per (aggregate, version); the latest is read back."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connectors.eventstore.errors import EventStoreError
from connectors.eventstore.items import snapshot_from_item, snapshot_to_item
from connectors.eventstore.port import Snapshot


class DynamoDBSnapshotStore:
    """``SnapshotStore`` on the snapshots table, through an injected low-level client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def save(self, aggregate_id: str, version: int, state: bytes) -> None:
        """Store ``state`` at ``version``; saving the same version again overwrites it."""
        if version < 1:
            raise ValueError(f"a snapshot needs a version >= 1, got {version}")
        item = snapshot_to_item(Snapshot(aggregate_id, version, bytes(state)))
        try:
            self._client.put_item(TableName=self._table, Item=item)
        except (BotoCoreError, ClientError) as e:
            raise EventStoreError(f"saving snapshot {aggregate_id}@{version} failed: {e}") from e

    def latest(self, aggregate_id: str) -> Snapshot | None:
        """Return the snapshot with the highest version, if any."""
        try:
            page = self._client.query(
                TableName=self._table,
                KeyConditionExpression="aggregate_id = :a",
                ExpressionAttributeValues={":a": {"S": aggregate_id}},
                ScanIndexForward=False,
                Limit=1,
                ConsistentRead=True,
            )
        except (BotoCoreError, ClientError) as e:
            raise EventStoreError(f"reading snapshot of {aggregate_id} failed: {e}") from e
        items = page.get("Items", [])
        return snapshot_from_item(items[0]) if items else None
