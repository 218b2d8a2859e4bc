"""Command outcomes on DynamoDB: first writer wins, so a command's answer never changes.

``record_outcome`` is a conditional put-if-absent that returns the outcome on
record. BatchWriteItem cannot carry conditions, so ``record_outcomes`` first reads
which ids already have an outcome (BatchGetItem, consistent) and writes only the
others, unless the caller has just read them itself (``known_absent``). Between that
read and the write another writer of the same command id could slip in; only a
zombie worker still processing a revoked partition can, and then the later write
wins. The journal's conditional append still lets only one of them apply the
command; only the recorded answer may be the zombie's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connectors.eventstore.errors import EventStoreError
from connectors.eventstore.items import Item, outcome_from_item, outcome_to_item
from connectors.eventstore.port import CommandOutcome

_WRITE_BATCH = 25
_READ_BATCH = 100
_MAX_ROUNDS = 8


class DynamoDBOutcomeStore:
    """``OutcomeStore`` on the outcomes table, through an injected low-level client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def record_outcome(self, outcome: CommandOutcome) -> CommandOutcome:
        """Record ``outcome`` unless one exists; return the outcome on record."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item=outcome_to_item(outcome),
                ConditionExpression="attribute_not_exists(command_id)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise EventStoreError(f"recording {outcome.command_id} failed: {e}") from e
            existing = e.response.get("Item")
            if existing:
                return outcome_from_item(existing)
            found = self.find_outcome(outcome.command_id)
            return found if found is not None else outcome
        except BotoCoreError as e:
            raise EventStoreError(f"recording {outcome.command_id} failed: {e}") from e
        return outcome

    def record_outcomes(
        self, outcomes: Iterable[CommandOutcome], known_absent: bool = False
    ) -> list[CommandOutcome]:
        """Record many outcomes (BatchWriteItem) with the first-writer-wins rule.

        With ``known_absent`` the caller's own lookup stands in for the read.
        """
        wanted = list(outcomes)
        on_record: dict[str, CommandOutcome] = (
            {} if known_absent else self._existing({o.command_id for o in wanted})
        )
        fresh: dict[str, CommandOutcome] = {}
        for outcome in wanted:
            if outcome.command_id not in on_record and outcome.command_id not in fresh:
                fresh[outcome.command_id] = outcome
        items = [outcome_to_item(o) for o in fresh.values()]
        for start in range(0, len(items), _WRITE_BATCH):
            requests = [
                {"PutRequest": {"Item": item}} for item in items[start : start + _WRITE_BATCH]
            ]
            self._until_done(
                lambda rest: (
                    self._client.batch_write_item(RequestItems={self._table: rest})
                    .get("UnprocessedItems", {})
                    .get(self._table, [])
                ),
                requests,
            )
        on_record.update(fresh)
        return [on_record[o.command_id] for o in wanted]

    def find_outcome(self, command_id: str) -> CommandOutcome | None:
        """Return the recorded outcome of ``command_id``, if any."""
        try:
            found = self._client.get_item(
                TableName=self._table, Key={"command_id": {"S": command_id}}, ConsistentRead=True
            )
        except (BotoCoreError, ClientError) as e:
            raise EventStoreError(f"reading outcome {command_id} failed: {e}") from e
        item = found.get("Item")
        return outcome_from_item(item) if item else None

    def find_outcomes(self, command_ids: Iterable[str]) -> dict[str, CommandOutcome]:
        """Return the recorded outcomes of those ``command_ids`` that have one (BatchGetItem)."""
        return self._existing(set(command_ids))

    def _existing(self, command_ids: set[str]) -> dict[str, CommandOutcome]:
        found: dict[str, CommandOutcome] = {}

        def read(keys: list[Item]) -> list[Item]:
            request = {self._table: {"Keys": keys, "ConsistentRead": True}}
            page = self._client.batch_get_item(RequestItems=request)
            for item in page.get("Responses", {}).get(self._table, []):
                outcome = outcome_from_item(item)
                found[outcome.command_id] = outcome
            rest: list[Item] = page.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", [])
            return rest

        keys = [{"command_id": {"S": c}} for c in sorted(command_ids)]
        for start in range(0, len(keys), _READ_BATCH):
            self._until_done(read, keys[start : start + _READ_BATCH])
        return found

    def _until_done(self, send: Callable[[list[Item]], list[Item]], batch: list[Item]) -> None:
        """Send ``batch`` and resend what DynamoDB left unprocessed, with backoff."""
        for attempt in range(_MAX_ROUNDS):
            try:
                batch = send(batch)
            except (BotoCoreError, ClientError) as e:
                raise EventStoreError(f"batch on {self._table} failed: {e}") from e
            if not batch:
                return
            time.sleep(min(0.05 * 2**attempt, 1.0))
        raise EventStoreError(f"{len(batch)} requests on {self._table} still unprocessed")
