"""The event store: the port, its in-memory fakes and (in submodules) DynamoDB adapters.

Importing this package does not import boto3; the DynamoDB adapters live in
``dynamodb_*`` modules and are wired by ``connectors.eventstore.wiring.build_stores``.
"""

from __future__ import annotations

from connectors.eventstore.errors import (
    ConcurrencyError,
    CorruptJournalError,
    EventStoreError,
    UnreadableItemError,
)
from connectors.eventstore.items import entry_from_item
from connectors.eventstore.journal import should_snapshot
from connectors.eventstore.memory import (
    InMemoryEventStore,
    InMemoryOutcomeStore,
    InMemorySnapshotStore,
)
from connectors.eventstore.port import (
    CommandOutcome,
    EventStore,
    JournalEntry,
    NewEvent,
    OutcomeStore,
    RecentCommand,
    Snapshot,
    SnapshotStore,
    StoredEvent,
)

__all__ = [
    "CommandOutcome",
    "ConcurrencyError",
    "CorruptJournalError",
    "EventStore",
    "EventStoreError",
    "InMemoryEventStore",
    "InMemoryOutcomeStore",
    "InMemorySnapshotStore",
    "JournalEntry",
    "NewEvent",
    "OutcomeStore",
    "RecentCommand",
    "Snapshot",
    "SnapshotStore",
    "StoredEvent",
    "UnreadableItemError",
    "entry_from_item",
    "should_snapshot",
]
