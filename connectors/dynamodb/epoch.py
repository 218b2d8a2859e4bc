"""The journal's epoch: an id that changes whenever the journal starts over empty.

Anything that remembers journal positions (a worker's cached states, the read model's
投影位置, the bridge's checkpoints) belongs to one epoch. When the journal table is
created (a fresh stack, or the embedded DynamoDB restarted empty and re-provisioned),
``ensure_tables`` writes a new epoch, so a holder of old positions can tell that they
point into a journal that no longer exists, instead of appending after them or
waiting for them.

The epoch is one item in the checkpoints table (read with one consistent GetItem).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from typing import Any

from connectors.dynamodb.tables import CHECKPOINTS

EPOCH_ITEM_ID = "journal-epoch"


def _key() -> dict[str, Any]:
    return {"checkpoint_id": {"S": EPOCH_ITEM_ID}}


def read_epoch(client: Any, prefix: str) -> str | None:
    """Return the journal's epoch, or None when none was written (or the table is gone)."""
    try:
        item = client.get_item(
            TableName=CHECKPOINTS.name(prefix), Key=_key(), ConsistentRead=True
        ).get("Item")
    except client.exceptions.ResourceNotFoundException:
        return None
    return None if item is None else str(item["epoch"]["S"])


def new_epoch(client: Any, prefix: str) -> str:
    """Start a new epoch (the journal was just created, so it is empty); return it."""
    epoch = uuid.uuid4().hex
    client.put_item(TableName=CHECKPOINTS.name(prefix), Item=_item(epoch))
    return epoch


def forget_epoch(client: Any, prefix: str) -> None:
    """Remove the epoch (the journal is gone): workers hold their batches until a new one."""
    with contextlib.suppress(client.exceptions.ResourceNotFoundException):  # no table: no epoch
        client.delete_item(TableName=CHECKPOINTS.name(prefix), Key=_key())


def ensure_epoch(client: Any, prefix: str) -> str:
    """Return the journal's epoch, writing one first if there is none (put-if-absent)."""
    epoch = uuid.uuid4().hex
    try:
        client.put_item(
            TableName=CHECKPOINTS.name(prefix),
            Item=_item(epoch),
            ConditionExpression="attribute_not_exists(checkpoint_id)",
        )
    except client.exceptions.ConditionalCheckFailedException:
        current = read_epoch(client, prefix)
        if current is None:  # deleted in between: try once more
            return ensure_epoch(client, prefix)
        return current
    return epoch


def _item(epoch: str) -> dict[str, Any]:
    return {
        "checkpoint_id": {"S": EPOCH_ITEM_ID},
        "epoch": {"S": epoch},
        "created_at_ms": {"N": str(int(time.time() * 1000))},
    }
