"""The live path: an OUT event drives its transfer and removes its open-transfers entry."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest

from connectors.eventstore.port import CommandOutcome, EventStore, JournalEntry, NewEvent
from domain.inventory.commands import TransferStockOut
from schemas.topics import HEADER_EVENT_TYPE
from streams.agents import transfers as agent
from streams.handling import BatchAbandoned, CommandHandler
from streams.transfers import Drive, IntentRecordingStore, Transfer, TransferManager
from streams.transfers.model import LEG_TYPES
from tests.unit.streams.builders import envelope
from tests.unit.transfers.conftest import SOURCE, TO_OSAKA, World, push_out_of_the_window


class FakeRuntime:
    """What the agent uses of ``CommandRuntime``: blocking calls, publishing outcomes."""

    def __init__(self, stopping: bool = False) -> None:
        self.published: list[CommandOutcome] = []
        self.stopping = lambda: stopping
        self.notifier = None  # notifications are tested in tests/unit/notifications

    async def run_blocking(self, fn: Any, *args: Any) -> Any:
        return fn(*args)

    async def publish(self, messages: list[CommandOutcome]) -> None:
        self.published.extend(messages)

    def outcome_message(self, outcome: CommandOutcome) -> CommandOutcome:
        return outcome


class Message:
    def __init__(self, event_type: str, value: bytes) -> None:
        self.headers = [(HEADER_EVENT_TYPE, event_type.encode())]
        self.value = value


def out_message(world: World, transfer_id: str) -> Message:
    world.transfer_out(transfer_id, TO_OSAKA, 30)
    stored = world.stores.events.load_events(SOURCE)[-1]
    return Message(stored.event_type, stored.payload)


def react(runtime: FakeRuntime, manager: TransferManager, world: World, message: Message) -> None:
    asyncio.run(agent._react(runtime, manager, world.index, message))  # type: ignore[arg-type]


def test_a_settled_transfer_leaves_the_index(world: World) -> None:
    message = out_message(world, "T-1")
    assert [e.transfer_id for e in world.index.entries()] == ["T-1"]
    runtime = FakeRuntime()
    react(runtime, world.manager, world, message)
    assert list(world.index.entries()) == []
    assert [o.command_id.rsplit("/", 1)[-1] for o in runtime.published] == [
        "create",
        "in",
        "complete",
    ]
    assert world.on_hand(TO_OSAKA) == 30


class BrokenManager(TransferManager):
    def drive(self, transfer: Transfer) -> Drive:
        raise RuntimeError("DynamoDB unreachable")


def test_a_drive_that_keeps_failing_leaves_an_entry_for_the_sweep(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = out_message(world, "T-2")
    world.index.close(SOURCE, "T-2")  # e.g. removed by a sweep before the OUT landed
    monkeypatch.setattr(agent, "DRIVE_BACKOFF_S", (0.0,))
    with pytest.raises(RuntimeError):
        react(FakeRuntime(), BrokenManager(world.handler), world, message)
    [entry] = world.index.entries()
    assert (entry.source, entry.transfer_id, entry.destination) == (SOURCE, "T-2", TO_OSAKA)
    assert entry.written_at_ms > 0


class FlakyIndex:
    """An open-transfers index whose writes fail ``failures`` times, then go through."""

    def __init__(self, inner: Any, failures: int) -> None:
        self.inner, self.failures, self.attempts = inner, failures, 0

    def open(self, entry: Any) -> None:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise RuntimeError("DynamoDB unreachable")
        self.inner.open(entry)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_an_entry_the_index_refuses_at_first_is_written_before_the_event_is_let_go(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = out_message(world, "T-4")
    world.index.close(SOURCE, "T-4")
    monkeypatch.setattr(agent, "DRIVE_BACKOFF_S", (0.0,))
    monkeypatch.setattr(agent, "KEEP_OPEN_BACKOFF_S", (0.0,))
    flaky = FlakyIndex(world.index, failures=3)
    with pytest.raises(RuntimeError):
        asyncio.run(agent._react(FakeRuntime(), BrokenManager(world.handler), flaky,  # type: ignore[arg-type]
                                 message))  # fmt: skip
    assert flaky.attempts == 4
    assert [e.transfer_id for e in entries_of(world, "T-4")] == ["T-4"]


def test_a_stopping_worker_gives_up_an_entry_the_index_refuses_leaving_the_event_unacked(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = out_message(world, "T-5")
    world.index.close(SOURCE, "T-5")
    monkeypatch.setattr(agent, "DRIVE_BACKOFF_S", ())  # straight to the index after one try
    monkeypatch.setattr(agent, "KEEP_OPEN_BACKOFF_S", (5.0,))
    flaky = FlakyIndex(world.index, failures=10**9)  # the index never answers again
    with pytest.raises(BatchAbandoned):
        asyncio.run(agent._react(FakeRuntime(stopping=True), BrokenManager(world.handler),  # type: ignore[arg-type]
                                 flaky, message))  # fmt: skip
    assert flaky.attempts == 1


def test_other_events_are_skipped_without_decoding(world: World) -> None:
    runtime = FakeRuntime()
    react(runtime, BrokenManager(world.handler), world, Message("StockReceived_V1", b"junk"))
    assert runtime.published == []


class BeforeOutAppend:
    """An event store that runs ``before`` once, just before it appends the next OUT leg."""

    def __init__(self, inner: EventStore, before: Callable[[], None]) -> None:
        self.inner, self.before = inner, before

    def append(self, aggregate_id: str, aggregate_type: str, expected_version: int,
               events: Sequence[NewEvent], *args: Any) -> JournalEntry:  # fmt: skip
        if any(e.event_type in LEG_TYPES for e in events):
            before, self.before = self.before, lambda: None
            before()
        return self.inner.append(aggregate_id, aggregate_type, expected_version, events, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def entries_of(world: World, transfer_id: str) -> list[Any]:
    return [e for e in world.index.entries() if e.transfer_id == transfer_id]


@pytest.mark.usefixtures("small_window")
def test_a_late_out_event_of_an_earlier_transfer_keeps_the_entry_of_the_next(
    world: World,
) -> None:
    first = out_message(world, "T-0")
    react(FakeRuntime(), world.manager, world, first)
    push_out_of_the_window(world, "T-0")
    # the id comes back: its entry is written, and the first OUT is delivered again
    # before the second OUT is appended (it finds nothing pending under the id)
    late = BeforeOutAppend(world.stores.events,
                           lambda: react(FakeRuntime(), world.manager, world, first))  # fmt: skip
    handler = CommandHandler(IntentRecordingStore(late, world.index), world.stores.outcomes,
                             world.stores.snapshots)  # fmt: skip
    outcome = handler.handle(envelope(TransferStockOut(SOURCE, "T-0", TO_OSAKA, 1)))
    assert outcome.status == "ACCEPTED"
    [entry] = entries_of(world, "T-0")
    assert entry.out_sequence_nr == world.out_seq("T-0") == outcome.version


def test_an_entry_written_before_entries_kept_the_sequence_number_still_leaves(
    world: World,
) -> None:
    message = out_message(world, "T-3")
    [entry] = entries_of(world, "T-3")
    world.index.open(replace(entry, out_sequence_nr=None))
    react(FakeRuntime(), world.manager, world, message)
    assert entries_of(world, "T-3") == []
