"""The store contracts, run against the in-memory fakes."""

from __future__ import annotations

from connectors.eventstore import InMemoryEventStore, InMemoryOutcomeStore, InMemorySnapshotStore
from tests.contract.event_store_contract import EventStoreContract
from tests.contract.outcome_store_contract import OutcomeStoreContract
from tests.contract.snapshot_store_contract import SnapshotStoreContract


class TestInMemoryEventStore(EventStoreContract):
    def make_store(self) -> InMemoryEventStore:
        return InMemoryEventStore()


class TestInMemoryOutcomeStore(OutcomeStoreContract):
    def make_outcomes(self) -> InMemoryOutcomeStore:
        return InMemoryOutcomeStore()


class TestInMemorySnapshotStore(SnapshotStoreContract):
    def make_snapshots(self) -> InMemorySnapshotStore:
        return InMemorySnapshotStore()
