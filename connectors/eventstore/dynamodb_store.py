"""The event store on DynamoDB: one journal item per append, conditional PutItem.

An append holds one command's events, or those of consecutive commands of one
aggregate (each event names its command; the item lists them in ``command_ids``).

Optimistic lock: an append of the events after ``expected_version`` writes the
item keyed (aggregate_id, expected_version + 1) with ``attribute_not_exists(seq_nr)``.
Every version a writer can observe (from ``version``, ``load`` or its own appends)
is an item boundary, the ``last_seq_nr`` of some item; so the next command after it
always lands on the same key. Two writers starting from the same version, or a
writer starting from any stale version, therefore collide on one key and exactly
one succeeds. No TransactWriteItems: it is slow and unnecessary for one item.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connectors.eventstore.errors import EventStoreError, conflict
from connectors.eventstore.items import Item, entry_from_item, entry_to_item
from connectors.eventstore.journal import build_entry, checked, events_after, found_in
from connectors.eventstore.port import JournalEntry, NewEvent, StoredEvent

_READ_BATCH = 100
_MAX_ROUNDS = 8
_FILTER_IDS = 40  # command ids per find_commands Query (a filter is at most 4 KB)


def query_items(client: Any, **kwargs: Any) -> Iterator[Item]:
    """Yield every item of a Query, following ``LastEvaluatedKey``."""
    while True:
        try:
            page = client.query(**kwargs)
        except (BotoCoreError, ClientError) as e:
            raise EventStoreError(f"query on {kwargs.get('TableName')} failed: {e}") from e
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


_MAX_WALK = 16  # GetItem steps before one Query reads the rest


class DynamoDBEventStore:
    """``EventStore`` on the journal table, through an injected low-level client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def append(
        self,
        aggregate_id: str,
        aggregate_type: str,
        expected_version: int,
        events: Sequence[NewEvent],
        command_id: str,
        correlation_id: str,
    ) -> JournalEntry:
        """Append all ``events`` as one item at ``expected_version + 1`` or raise."""
        entry = build_entry(
            aggregate_id, aggregate_type, expected_version, events, command_id, correlation_id
        )
        try:
            self._client.put_item(
                TableName=self._table,
                Item=entry_to_item(entry, written_at_ms=int(time.time() * 1000)),
                ConditionExpression="attribute_not_exists(seq_nr)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise EventStoreError(f"append to {aggregate_id} failed: {e}") from e
            # The SDK retries a put whose response was lost; finding our own command
            # in the slot means the first attempt landed, which is success.
            existing = e.response.get("Item") or self._get(aggregate_id, entry.first_seq_nr)
            if existing and existing.get("command_id", {}).get("S") == command_id:
                return entry_from_item(existing)
            raise conflict(aggregate_id, expected_version) from e
        except BotoCoreError as e:
            raise EventStoreError(f"append to {aggregate_id} failed: {e}") from e
        return entry

    def load(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        """Return the entries holding events after ``after_version``, in order."""
        entries = self._query_after(aggregate_id, after_version)
        if after_version > 0 and (not entries or entries[0].first_seq_nr > after_version + 1):
            # after_version falls inside an item: that item holds events we need.
            head = self._last_item(aggregate_id, at_most=after_version)
            if head is not None and int(head["last_seq_nr"]["N"]) > after_version:
                entries.insert(0, entry_from_item(head))
        return checked(entries, after_version)

    def follow(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        """Return the entries after the boundary ``after_version`` by walking entry keys.

        Each step is a GetItem, O(1) on any DynamoDB. It matters on moto, whose Query
        copies and sorts the whole table per call, so loading or refreshing an
        aggregate by Query costs O(table) there. A long walk hands over to one Query.
        """
        entries: list[JournalEntry] = []
        next_seq = after_version + 1
        for _ in range(_MAX_WALK):
            item = self._get(aggregate_id, next_seq)
            if item is None:
                return checked(entries, after_version)
            entries.append(entry_from_item(item))
            next_seq = entries[-1].last_seq_nr + 1
        # next_seq - 1 ends an entry, so no entry straddles it (unlike in ``load``)
        return checked(entries + self._query_after(aggregate_id, next_seq - 1), after_version)

    def _query_after(self, aggregate_id: str, after_version: int) -> list[JournalEntry]:
        """Return the entries whose key (first seq nr) is after ``after_version``."""
        return [
            entry_from_item(item)
            for item in query_items(
                self._client,
                TableName=self._table,
                KeyConditionExpression="aggregate_id = :a AND seq_nr > :v",
                ExpressionAttributeValues={
                    ":a": {"S": aggregate_id},
                    ":v": {"N": str(after_version)},
                },
                ConsistentRead=True,
            )
        ]

    def load_events(self, aggregate_id: str, after_version: int = 0) -> list[StoredEvent]:
        """Return the events with ``seq_nr > after_version``, in order."""
        return events_after(self.load(aggregate_id, after_version), after_version)

    def version(self, aggregate_id: str) -> int:
        """Return the aggregate's last sequence number (0 when it has none)."""
        head = self._last_item(aggregate_id, projection="last_seq_nr")
        return 0 if head is None else int(head["last_seq_nr"]["N"])

    def find_command(self, aggregate_id: str, command_id: str) -> JournalEntry | None:
        """Return the entry ``command_id`` wrote to this aggregate, newest first search."""
        return self.find_commands(aggregate_id, [command_id]).get(command_id)

    def find_commands(
        self, aggregate_id: str, command_ids: Sequence[str]
    ) -> dict[str, JournalEntry]:
        """Return the entry (part) each of ``command_ids`` wrote to this aggregate.

        One filtered Query per ``_FILTER_IDS`` ids, newest first, ending once all are found.
        """
        wanted = list(dict.fromkeys(command_ids))
        found: dict[str, JournalEntry] = {}
        for start in range(0, len(wanted), _FILTER_IDS):
            chunk = wanted[start : start + _FILTER_IDS]
            values = {f":c{i}": {"S": c} for i, c in enumerate(chunk)}
            items = query_items(
                self._client,
                TableName=self._table,
                KeyConditionExpression="aggregate_id = :a",
                FilterExpression=" OR ".join(
                    f"command_id = {v} OR contains(command_ids, {v})" for v in values
                ),
                ExpressionAttributeValues={":a": {"S": aggregate_id}, **values},
                ScanIndexForward=False,
                ConsistentRead=True,
            )
            found.update(found_in((entry_from_item(i) for i in items), chunk))
        return found

    def moved_since(self, versions: Mapping[str, int]) -> set[str]:
        """Return the aggregate ids with an entry at ``version + 1`` (BatchGetItem)."""
        keys = [
            {"aggregate_id": {"S": a}, "seq_nr": {"N": str(v + 1)}} for a, v in versions.items()
        ]
        moved: set[str] = set()
        for start in range(0, len(keys), _READ_BATCH):
            pending: list[Item] = keys[start : start + _READ_BATCH]
            for attempt in range(_MAX_ROUNDS):
                request = {self._table: {"Keys": pending, "ConsistentRead": True,
                                         "ProjectionExpression": "aggregate_id"}}  # fmt: skip
                try:
                    page = self._client.batch_get_item(RequestItems=request)
                except (BotoCoreError, ClientError) as e:
                    raise EventStoreError(f"checking journal heads failed: {e}") from e
                moved.update(i["aggregate_id"]["S"] for i in page["Responses"].get(self._table, []))
                pending = page.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", [])
                if not pending:
                    break
                time.sleep(min(0.05 * 2**attempt, 1.0))
            else:
                raise EventStoreError(f"{len(pending)} journal heads still unprocessed")
        return moved

    def _last_item(
        self, aggregate_id: str, at_most: int | None = None, projection: str | None = None
    ) -> Item | None:
        key = "aggregate_id = :a" + ("" if at_most is None else " AND seq_nr <= :v")
        values: dict[str, Any] = {":a": {"S": aggregate_id}}
        if at_most is not None:
            values[":v"] = {"N": str(at_most)}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": key,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
            "Limit": 1,
            "ConsistentRead": True,
        }
        if projection:
            kwargs["ProjectionExpression"] = projection
        return next(query_items(self._client, **kwargs), None)

    def _get(self, aggregate_id: str, seq_nr: int) -> Item | None:
        key = {"aggregate_id": {"S": aggregate_id}, "seq_nr": {"N": str(seq_nr)}}
        try:
            found = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        except (BotoCoreError, ClientError) as e:
            raise EventStoreError(f"reading {aggregate_id}@{seq_nr} failed: {e}") from e
        item: Item | None = found.get("Item")
        return item
