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
from connectors.eventstore.journal import build_entry, checked, events_after
from connectors.eventstore.port import JournalEntry, NewEvent, StoredEvent

_READ_BATCH = 100  # keys per BatchGetItem (DynamoDB's limit)
_MAX_ROUNDS = 8
_FIRST_CHUNK = 4  # candidate keys of follow's first BatchGetItem


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
        """Return the entries after the boundary ``after_version`` by their keys only.

        Never a Query: on moto every Query copies and sorts the whole table, so a
        Query per load would cost O(table). The next key is always known (the last
        sequence number + 1), so one GetItem answers the common case (nothing new);
        after that a BatchGetItem asks for the next candidate keys at once (an entry of
        several events leaves the keys inside it unused) and the chain is followed
        through what came back, chunk after chunk. Chunks grow 4, 16, 64, then 100
        (the limit): a refresh that finds one entry reads 5 keys, not 100 (on AWS a
        consistent read of a missing key still costs a read unit).
        """
        first = self._get(aggregate_id, after_version + 1)
        if first is None:
            return []
        entries, size = [entry_from_item(first)], _FIRST_CHUNK
        while True:
            start = entries[-1].last_seq_nr + 1
            keys = [self._key(aggregate_id, n) for n in range(start, start + size)]
            found = {e.first_seq_nr: e for e in map(entry_from_item, self._batch_get(keys))}
            while (following := found.get(entries[-1].last_seq_nr + 1)) is not None:
                entries.append(following)
            if entries[-1].last_seq_nr + 1 < start + size:
                return checked(entries, after_version)  # the chain ended inside the chunk
            size = min(size * 4, _READ_BATCH)

    def entry_at(self, aggregate_id: str, first_seq_nr: int) -> JournalEntry | None:
        """Return the entry keyed ``first_seq_nr`` (one GetItem)."""
        item = self._get(aggregate_id, first_seq_nr)
        return None if item is None else entry_from_item(item)

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
        """Return the events with ``seq_nr > after_version``, in order, by keys only.

        The projector's reads (a gap to fill, a parked aggregate to resume) come at any
        position, inside an entry too: the entry holding ``after_version + 1`` is found by
        its key or among the keys just below it, then ``follow`` takes the chain. A Query
        (O(table) on moto) only when that entry starts more than 100 events earlier.
        """
        start = self._entry_holding(aggregate_id, after_version + 1)
        if start is None:
            return []
        entries = [start, *self.follow(aggregate_id, start.last_seq_nr)]
        return events_after(entries, after_version)

    def _entry_holding(self, aggregate_id: str, seq_nr: int) -> JournalEntry | None:
        """Return the entry whose events include ``seq_nr`` (None: not in the journal)."""
        item = self._get(aggregate_id, seq_nr)
        if item is not None or seq_nr == 1:
            return None if item is None else entry_from_item(item)
        lowest = max(1, seq_nr - _READ_BATCH)
        keys = [self._key(aggregate_id, n) for n in range(lowest, seq_nr)]
        # only the highest key below can hold seq_nr: the others are not even parsed
        found = self._batch_get(keys, projection="seq_nr")
        if not found and lowest > 1:  # a long entry, or none at all: ask the table
            item = self._last_item(aggregate_id, at_most=seq_nr)
        else:
            highest = max((int(i["seq_nr"]["N"]) for i in found), default=None)
            item = None if highest is None else self._get(aggregate_id, highest)
        entry = None if item is None else entry_from_item(item)
        return entry if entry is not None and entry.last_seq_nr >= seq_nr else None

    def version(self, aggregate_id: str) -> int:
        """Return the aggregate's last sequence number (0 when it has none)."""
        head = self._last_item(aggregate_id, projection="last_seq_nr")
        return 0 if head is None else int(head["last_seq_nr"]["N"])

    def moved_since(self, versions: Mapping[str, int]) -> set[str]:
        """Return the aggregate ids with an entry at ``version + 1`` (BatchGetItem)."""
        keys = [self._key(a, v + 1) for a, v in versions.items()]
        return {i["aggregate_id"]["S"] for i in self._batch_get(keys, projection="aggregate_id")}

    def _batch_get(self, keys: list[Item], projection: str | None = None) -> list[Item]:
        """Return the items of ``keys`` that exist: BatchGetItems of 100, unprocessed resent."""
        items: list[Item] = []
        for start in range(0, len(keys), _READ_BATCH):
            pending: list[Item] = keys[start : start + _READ_BATCH]
            for attempt in range(_MAX_ROUNDS):
                request: dict[str, Any] = {"Keys": pending, "ConsistentRead": True}
                if projection:
                    request["ProjectionExpression"] = projection
                try:
                    page = self._client.batch_get_item(RequestItems={self._table: request})
                except (BotoCoreError, ClientError) as e:
                    raise EventStoreError(f"reading the journal failed: {e}") from e
                items.extend(page["Responses"].get(self._table, []))
                pending = page.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", [])
                if not pending:
                    break
                time.sleep(min(0.05 * 2**attempt, 1.0))
            else:
                raise EventStoreError(f"{len(pending)} journal keys still unprocessed")
        return items

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

    @staticmethod
    def _key(aggregate_id: str, seq_nr: int) -> Item:
        return {"aggregate_id": {"S": aggregate_id}, "seq_nr": {"N": str(seq_nr)}}

    def _get(self, aggregate_id: str, seq_nr: int) -> Item | None:
        key = self._key(aggregate_id, seq_nr)
        try:
            found = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        except (BotoCoreError, ClientError) as e:
            raise EventStoreError(f"reading {aggregate_id}@{seq_nr} failed: {e}") from e
        item: Item | None = found.get("Item")
        return item
