"""The open-transfers index on DynamoDB: one small table, one item per open transfer.

Every call touches this table only: PutItem, DeleteItem and UpdateItem on one key, and
a paginated Scan whose cost is the table's size (the open transfers), never the journal's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connectors.open_transfers.errors import OpenTransferIndexError
from connectors.open_transfers.port import OpenTransfer, transfer_key

SCAN_PAGE_SIZE = 100  # entries a Scan request reads; a page stays far below 1 MB
_CLAIMABLE = (
    "attribute_exists(transfer_key) AND (attribute_not_exists(claimed_until_ms)"
    " OR claimed_until_ms <= :now OR claimed_by = :owner)"
)


class DynamoDBOpenTransferIndex:
    """``OpenTransferIndex`` on the ``open-transfers`` table."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def open(self, transfer: OpenTransfer) -> None:
        """Write ``transfer``'s entry, replacing any entry of the same key (and its claim)."""
        self._call("put_item", TableName=self._table, Item=to_item(transfer))

    def close(self, source: str, transfer_id: str, written_at_ms: int | None = None) -> bool:
        """Remove the entry; with ``written_at_ms``, only if it was not rewritten since."""
        params: dict[str, Any] = {"TableName": self._table, "Key": _key(source, transfer_id),
                                  "ReturnValues": "ALL_OLD"}  # fmt: skip
        if written_at_ms is not None:
            params["ConditionExpression"] = "written_at_ms = :w"
            params["ExpressionAttributeValues"] = {":w": {"N": str(written_at_ms)}}
        answer = self._call("delete_item", **params)
        return answer is not None and "Attributes" in answer

    def close_opened(self, opened: OpenTransfer) -> bool:
        """Remove the entry only if ``opened``'s OUT leg wrote it, never a later transfer's."""
        legacy = "(attribute_not_exists(out_sequence_nr) AND opened_at_ms = :o)"
        values = {":o": {"N": str(opened.opened_at_ms)}}
        if opened.out_sequence_nr is None:
            condition = legacy
        else:
            condition = f"out_sequence_nr = :s OR {legacy}"
            values[":s"] = {"N": str(opened.out_sequence_nr)}
        answer = self._call("delete_item", TableName=self._table, Key=_key(opened.source,
                            opened.transfer_id), ConditionExpression=condition,
                            ExpressionAttributeValues=values, ReturnValues="ALL_OLD")  # fmt: skip
        return answer is not None and "Attributes" in answer

    def entries(self) -> Iterator[OpenTransfer]:
        """Yield every entry: a consistent Scan of this table, page by page."""
        params: dict[str, Any] = {"TableName": self._table, "ConsistentRead": True,
                                  "Limit": SCAN_PAGE_SIZE}  # fmt: skip
        while True:
            page = self._call("scan", **params)
            assert page is not None
            for item in page.get("Items", []):
                yield from_item(item)
            if "LastEvaluatedKey" not in page:
                return
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def claim(self, source: str, transfer_id: str, owner: str, now_ms: int, until_ms: int) -> bool:
        """Claim the entry for ``owner`` until ``until_ms`` unless another holds it."""
        answer = self._call(
            "update_item",
            TableName=self._table,
            Key=_key(source, transfer_id),
            UpdateExpression="SET claimed_by = :owner, claimed_until_ms = :until",
            ConditionExpression=_CLAIMABLE,
            ExpressionAttributeValues={
                ":owner": {"S": owner},
                ":now": {"N": str(now_ms)},
                ":until": {"N": str(until_ms)},
            },
        )
        return answer is not None

    def _call(self, operation: str, **params: Any) -> dict[str, Any] | None:
        """Call the client; None when a condition failed; driver errors translated."""
        try:
            result: dict[str, Any] = getattr(self._client, operation)(**params)
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return None
            raise OpenTransferIndexError(f"{operation} on {self._table}: {e}") from e
        except BotoCoreError as e:
            raise OpenTransferIndexError(f"{operation} on {self._table}: {e}") from e
        return result


def _key(source: str, transfer_id: str) -> dict[str, Any]:
    return {"transfer_key": {"S": transfer_key(source, transfer_id)}}


def to_item(t: OpenTransfer) -> dict[str, Any]:
    """Return the DynamoDB item of an entry (its claim is never written here)."""
    item: dict[str, Any] = {
        "transfer_key": {"S": t.key},
        "source": {"S": t.source},
        "transfer_id": {"S": t.transfer_id},
        "destination": {"S": t.destination},
        "quantity": {"N": str(t.quantity)},
        "opened_at_ms": {"N": str(t.opened_at_ms)},
        "written_at_ms": {"N": str(t.written_at_ms)},
        "correlation_id": {"S": t.correlation_id},
    }
    for name in ("operator", "note"):
        if (value := getattr(t, name)) is not None:
            item[name] = {"S": value}
    if t.out_sequence_nr is not None:
        item["out_sequence_nr"] = {"N": str(t.out_sequence_nr)}
    return item


def from_item(item: dict[str, Any]) -> OpenTransfer:
    """Return the entry an item holds."""

    def text(name: str) -> str | None:
        return item[name]["S"] if name in item else None

    return OpenTransfer(
        source=item["source"]["S"],
        transfer_id=item["transfer_id"]["S"],
        destination=item["destination"]["S"],
        quantity=int(item["quantity"]["N"]),
        opened_at_ms=int(item["opened_at_ms"]["N"]),
        written_at_ms=int(item["written_at_ms"]["N"]),
        correlation_id=item.get("correlation_id", {}).get("S", ""),
        operator=text("operator"),
        note=text("note"),
        claimed_by=text("claimed_by"),
        claimed_until_ms=int(item.get("claimed_until_ms", {}).get("N", 0)),
        out_sequence_nr=int(item["out_sequence_nr"]["N"]) if "out_sequence_nr" in item else None,
    )
