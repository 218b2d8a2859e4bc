"""Wire the DynamoDB adapters to Zaiko's tables; composition roots call ``build_stores``."""

from __future__ import annotations

from typing import Any, NamedTuple

from connectors.dynamodb.tables import JOURNAL, OUTCOMES, SNAPSHOTS
from connectors.eventstore.dynamodb_outcomes import DynamoDBOutcomeStore
from connectors.eventstore.dynamodb_snapshots import DynamoDBSnapshotStore
from connectors.eventstore.dynamodb_store import DynamoDBEventStore


class DynamoDBStores(NamedTuple):
    """The three DynamoDB-backed stores sharing one client."""

    events: DynamoDBEventStore
    outcomes: DynamoDBOutcomeStore
    snapshots: DynamoDBSnapshotStore


def build_stores(client: Any, table_prefix: str) -> DynamoDBStores:
    """Return the event, outcome and snapshot stores on the tables under ``table_prefix``."""
    return DynamoDBStores(
        DynamoDBEventStore(client, JOURNAL.name(table_prefix)),
        DynamoDBOutcomeStore(client, OUTCOMES.name(table_prefix)),
        DynamoDBSnapshotStore(client, SNAPSHOTS.name(table_prefix)),
    )
