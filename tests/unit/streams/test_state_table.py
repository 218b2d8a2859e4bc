"""The state table: entries round-trip, a restarted worker answers from it, staleness is caught."""

from __future__ import annotations

from dataclasses import replace

import pytest

from connectors.eventstore import InMemoryEventStore
from connectors.eventstore.port import JournalEntry
from domain import IssueStock, ReceiveStock
from streams.handling import CommandHandler
from streams.handling.state_codec import StateCodecError
from streams.handling.state_table import StateTable, partition_of
from streams.handling.table_codec import decode_entry, encode_entry
from tests.unit.streams.builders import envelope, stocked_inventory
from tests.unit.streams.conftest import Stores

INV = "PRD-000001@TKY-01"
EPOCH = "e1"


class ReadCountingStore(InMemoryEventStore):
    """Counts the journal reads a state load makes (appends and head checks aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def follow(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        self.reads += 1
        return super().follow(aggregate_id, after_version)


@pytest.fixture
def journal(stores: Stores) -> ReadCountingStore:
    stores.events = ReadCountingStore()
    return stores.events


def worker(stores: Stores, data: dict[bytes, bytes], epoch: str = EPOCH) -> CommandHandler:
    """A fresh worker (empty LRU) whose state table holds ``data`` (as restored)."""
    handler = stores.handler()
    handler.loader.table = StateTable(data, 8, lambda: epoch)
    return handler


def warm(stores: Stores, data: dict[bytes, bytes]) -> CommandHandler:
    """Create INV stocked with 100 through a worker, and publish its table writes."""
    handler = worker(stores, data)
    for command in stocked_inventory("PRD-000001", "TKY-01"):
        handler.handle(envelope(command))
    assert handler.loader.table is not None
    handler.loader.table.drain()
    return handler


def test_an_entry_round_trips_with_its_epoch(stores: Stores) -> None:
    handler = warm(stores, {})
    loaded = handler.loader.load("inventory", INV)
    entry = decode_entry(encode_entry(loaded, EPOCH))
    assert entry.epoch == EPOCH
    assert entry.loaded == replace(loaded, fetched_at=0.0)


@pytest.mark.parametrize("data", [b"", b"ZKT\x01not zlib", b"{}", b"ZKS\x02x"])
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(StateCodecError):
        decode_entry(data)


def test_appended_states_are_drained_once_to_their_aggregates_partition(stores: Stores) -> None:
    data: dict[bytes, bytes] = {}
    handler = warm(stores, data)
    assert decode_entry(data[INV.encode()]).loaded.version == 2
    table = handler.loader.table
    assert table is not None
    handler.handle(envelope(ReceiveStock(INV, 5)))
    handler.handle(envelope(ReceiveStock(INV, 5)))
    writes = table.drain()
    assert [(w.key, w.partition) for w in writes] == [(INV.encode(), partition_of(INV.encode(), 8))]
    assert decode_entry(writes[0].value).loaded.version == 4  # the newest of the two
    assert table.drain() == []


def test_a_restarted_worker_answers_from_the_table_without_reading_the_journal(
    stores: Stores, journal: ReadCountingStore
) -> None:
    data: dict[bytes, bytes] = {}
    warm(stores, data)
    journal.reads = 0
    outcome = worker(stores, data).handle(envelope(IssueStock(INV, 30)))
    assert (outcome.status, outcome.version) == ("ACCEPTED", 3)
    assert journal.reads == 0
    cold = worker(stores, {}).handle(envelope(IssueStock(INV, 30)))  # without the table
    assert (cold.status, cold.version) == ("ACCEPTED", 4)
    assert journal.reads > 0


def test_an_entry_of_another_journal_epoch_is_never_used(
    stores: Stores, journal: ReadCountingStore
) -> None:
    data: dict[bytes, bytes] = {}
    warm(stores, data)
    journal.reads = 0
    outcome = worker(stores, data, epoch="e2").handle(envelope(IssueStock(INV, 30)))
    assert (outcome.status, outcome.version) == ("ACCEPTED", 3)
    assert journal.reads > 0


def test_a_stale_entry_costs_a_retry_never_a_wrong_acceptance(stores: Stores) -> None:
    data: dict[bytes, bytes] = {}
    warm(stores, data)
    stores.handler().handle(envelope(IssueStock(INV, 100)))  # the journal moves on: 0 left
    outcome = worker(stores, data).handle(envelope(IssueStock(INV, 30)))
    assert (outcome.status, outcome.error_code) == ("REJECTED", "INSUFFICIENT_STOCK")
    assert stores.events.version(INV) == 3


def test_a_stale_entry_never_gives_a_wrong_refusal(stores: Stores) -> None:
    data: dict[bytes, bytes] = {}
    warm(stores, data)
    stores.handler().handle(envelope(ReceiveStock(INV, 100)))  # the journal moves on: 200
    outcome = worker(stores, data).handle(envelope(IssueStock(INV, 150)))
    assert (outcome.status, outcome.version) == ("ACCEPTED", 4)


def test_a_forgotten_aggregate_loads_from_the_journal_until_written_again(
    stores: Stores, journal: ReadCountingStore
) -> None:
    data: dict[bytes, bytes] = {}
    warm(stores, data)
    restarted = worker(stores, data)
    restarted.loader.forget("inventory", INV)
    journal.reads = 0
    restarted.handle(envelope(IssueStock(INV, 1)))
    assert journal.reads > 0


def test_a_state_read_from_the_journal_is_written_once(stores: Stores) -> None:
    warm(stores, {})
    data: dict[bytes, bytes] = {}
    reader = worker(stores, data)
    reader.loader.load("product", "PRD-000001")
    reader.loader.load("product", "PRD-000001")
    assert reader.loader.table is not None
    assert [w.key for w in reader.loader.table.drain()] == [b"PRD-000001"]
    assert decode_entry(data[b"PRD-000001"]).loaded.aggregate_type == "product"
