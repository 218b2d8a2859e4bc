"""An OUT leg's open-transfers entry is written before the leg reaches the journal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from connectors.eventstore import InMemoryEventStore
from connectors.eventstore.port import JournalEntry, NewEvent
from connectors.open_transfers import InMemoryOpenTransferIndex, OpenTransfer
from domain.errors import ConcurrencyError
from domain.inventory.commands import TransferStockOut
from schemas import decode_event
from streams.transfers import IntentRecordingStore
from tests.unit.streams.builders import envelope
from tests.unit.transfers.conftest import RECEIVED, SOURCE, TO_CHILLED, TO_OSAKA, World


class SpyIndex(InMemoryOpenTransferIndex):
    """Records, for each entry opened, the source's journal version at that moment."""

    def __init__(self, journal: InMemoryEventStore) -> None:
        super().__init__()
        self.journal = journal
        self.opened: list[tuple[OpenTransfer, int]] = []

    def open(self, transfer: OpenTransfer) -> None:
        self.opened.append((transfer, self.journal.version(transfer.source)))
        super().open(transfer)


class RecordingStore:
    """An inner store that keeps what ``append`` got, and fails when told to."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def append(self, *args: Any, **kwargs: Any) -> JournalEntry:
        self.calls.append((args, kwargs))
        if self.fail is not None:
            raise self.fail
        return JournalEntry("a", "inventory", 1, 1, "c", "c", ())

    def version(self, aggregate_id: str) -> int:
        return 42


def out_legs(world: World, transfer_id: str) -> Sequence[NewEvent]:
    """The NewEvents a TransferStockOut on SOURCE decides, as the handler hands them over."""
    [stored] = [
        s
        for s in world.stores.events.load_events(SOURCE)
        if getattr(decode_event(s.payload).event, "transfer_id", None) == transfer_id
    ]
    return [NewEvent(stored.event_id, stored.event_type, stored.payload, stored.occurred_at_ms)]


def test_an_out_leg_opens_its_entry_before_the_append(world: World) -> None:
    spy = SpyIndex(world.stores.events)
    world.handler.events.index = spy  # type: ignore[attr-defined]
    before = world.stores.events.version(SOURCE)
    world.transfer_out("T-1", TO_OSAKA, 30)
    [(opened, version_then)] = spy.opened
    assert (opened.source, opened.transfer_id) == (SOURCE, "T-1")
    assert version_then == before  # the OUT was not in the journal yet
    assert world.stores.events.version(SOURCE) == before + 1


def test_the_entry_describes_the_transfer(world: World) -> None:
    command = TransferStockOut(SOURCE, "T-2", TO_OSAKA, 25, operator="山田", note="棚替え")
    sent = envelope(command)
    assert world.handler.handle(sent).status == "ACCEPTED"
    [entry] = world.index.entries()
    stored = world.stores.events.load_events(SOURCE)[-1]
    assert (entry.source, entry.transfer_id, entry.destination, entry.quantity) == (
        SOURCE, "T-2", TO_OSAKA, 25,
    )  # fmt: skip
    assert (entry.operator, entry.note) == ("山田", "棚替え")
    assert entry.correlation_id == sent.meta.correlation_id
    assert entry.opened_at_ms == stored.occurred_at_ms
    assert entry.written_at_ms >= entry.opened_at_ms - 1000


def test_only_out_legs_open_entries(world: World) -> None:
    spy = SpyIndex(world.stores.events)
    world.handler.events.index = spy  # type: ignore[attr-defined]
    world.manager.drive(world.transfer_out("T-3", TO_OSAKA, 30))  # create, IN, complete
    world.manager.drive(world.transfer_out("T-4", TO_CHILLED, 30))  # refused IN, RETURN
    assert [(e.transfer_id, e.destination) for e, _ in spy.opened] == [
        ("T-3", TO_OSAKA),
        ("T-4", TO_CHILLED),
    ]


def test_a_refused_transfer_opens_nothing(world: World) -> None:
    refused = world.send(TransferStockOut(SOURCE, "T-5", TO_OSAKA, RECEIVED + 1))
    assert refused.error_code == "INSUFFICIENT_STOCK"
    assert list(world.index.entries()) == []


def test_an_append_that_fails_leaves_the_entry_for_the_sweep(world: World) -> None:
    world.transfer_out("T-6", TO_OSAKA, 10)
    legs = out_legs(world, "T-6")
    index = InMemoryOpenTransferIndex()
    failing = RecordingStore(ConcurrencyError("taken", aggregate_id=SOURCE))
    store = IntentRecordingStore(failing, index)  # type: ignore[arg-type]
    with pytest.raises(ConcurrencyError):
        store.append(SOURCE, "inventory", 1, legs, "cmd", "corr")
    assert [e.transfer_id for e in index.entries()] == ["T-6"]


def test_the_append_and_every_other_call_pass_through_unchanged(world: World) -> None:
    world.transfer_out("T-7", TO_OSAKA, 10)
    legs = out_legs(world, "T-7")
    inner = RecordingStore()
    store = IntentRecordingStore(inner, InMemoryOpenTransferIndex(), clock=lambda: 5.0)  # type: ignore[arg-type]
    store.append(SOURCE, "inventory", 7, legs, "cmd", "corr", "more", extra=True)
    assert inner.calls == [((SOURCE, "inventory", 7, legs, "cmd", "corr", "more"), {"extra": True})]
    assert [e.written_at_ms for e in store.index.entries()] == [5000]
    assert store.version(SOURCE) == 42
