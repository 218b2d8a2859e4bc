"""A creation command on an aggregate no cache knows is appended without reading the journal.

The guess is settled by the conditional append at version 0: a wrong one (the aggregate
exists) costs a refused write and a read, never a wrong answer.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from connectors.eventstore import InMemoryEventStore, InMemorySnapshotStore
from connectors.eventstore.port import JournalEntry, Snapshot
from domain import CreateInventory, ReceiveStock
from domain.messages import COMMANDS, CREATIONS, creates
from tests.unit.streams.builders import create_product, envelope, stocked_inventory
from tests.unit.streams.conftest import Stores


class ReadCountingStore(InMemoryEventStore):
    def __init__(self) -> None:
        super().__init__()
        self.reads: list[tuple[str, int]] = []

    def follow(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        self.reads.append((aggregate_id, after_version))
        return super().follow(aggregate_id, after_version)

    def moved_since(self, versions: Mapping[str, int]) -> set[str]:
        self.reads.extend(versions.items())
        return super().moved_since(versions)


class SnapshotCountingStore(InMemorySnapshotStore):
    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def latest(self, aggregate_id: str) -> Snapshot | None:
        self.reads.append(aggregate_id)
        return super().latest(aggregate_id)


@pytest.fixture
def counted(stores: Stores) -> Stores:
    stores.events = ReadCountingStore()
    stores.snapshots = SnapshotCountingStore()
    return stores


def reads(stores: Stores) -> int:
    assert isinstance(stores.events, ReadCountingStore)
    assert isinstance(stores.snapshots, SnapshotCountingStore)
    return len(stores.events.reads) + len(stores.snapshots.reads)


def test_every_creation_command_is_named_and_only_those() -> None:
    assert {c.__name__ for c in CREATIONS} == {n for n in COMMANDS if n.startswith("Create")}
    assert not creates(ReceiveStock("PRD-000001@TKY-01", 1))


def test_a_new_aggregate_is_created_without_a_read(counted: Stores) -> None:
    outcome = counted.handler().handle(envelope(create_product("PRD-000001")))
    assert (outcome.status, outcome.version) == ("ACCEPTED", 1)
    assert reads(counted) == 0
    assert counted.events.version("PRD-000001") == 1


def test_a_redelivered_creation_on_a_fresh_worker_gets_its_first_outcome(counted: Stores) -> None:
    sent = envelope(create_product("PRD-000001"))
    first = counted.handler().handle(sent)
    counted.outcomes = type(counted.outcomes)()  # the outcome record lost: the journal answers
    again = counted.handler().handle(sent)
    assert (again.status, again.version, again.event_types) == (
        first.status, first.version, first.event_types)  # fmt: skip
    assert counted.events.version("PRD-000001") == 1


def test_a_second_creation_of_an_existing_aggregate_is_refused_already_exists(
    counted: Stores,
) -> None:
    counted.handler().handle(envelope(create_product("PRD-000001")))
    other = counted.handler().handle(envelope(create_product("PRD-000001")))  # other id
    assert (other.status, other.error_code) == ("REJECTED", "ALREADY_EXISTS")
    assert counted.events.version("PRD-000001") == 1


def test_a_wrong_guess_reads_the_snapshot_not_the_whole_journal(counted: Stores) -> None:
    worker = counted.handler(snapshot_every=5)
    for command in stocked_inventory("PRD-000001", "TKY-01"):
        worker.handle(envelope(command))
    for _ in range(12):
        worker.handle(envelope(ReceiveStock("PRD-000001@TKY-01", 1)))
    assert counted.snapshots.latest("PRD-000001@TKY-01") is not None
    counted.events.reads.clear()
    again = counted.handler().handle(envelope(CreateInventory("PRD-000001@TKY-01")))
    assert (again.status, again.error_code) == ("REJECTED", "ALREADY_EXISTS")
    inventory_reads = [after for a, after in counted.events.reads if a == "PRD-000001@TKY-01"]
    assert inventory_reads and min(inventory_reads) > 0, "read from seq 1, past the snapshot"


def test_a_cached_aggregate_is_not_presumed_new(counted: Stores) -> None:
    worker = counted.handler()
    worker.handle(envelope(create_product("PRD-000001")))
    again = worker.handle(envelope(create_product("PRD-000001")))
    assert (again.status, again.error_code) == ("REJECTED", "ALREADY_EXISTS")
    # the cached refusal is confirmed by one head check; no write tried, no snapshot read
    assert counted.events.reads == [("PRD-000001", 1)] and counted.snapshots.reads == []
