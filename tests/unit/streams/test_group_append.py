"""An aggregate's commands in one round share one journal entry, decided one by one."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from domain import IssueStock, ReceiveStock
from schemas import CommandEnvelope, decode_event, encode
from streams.handling import BatchHandler, classify
from streams.handling.intake import Intake
from streams.handling.rounds import ROUND
from tests.unit.streams.builders import envelope, stocked_inventory
from tests.unit.streams.conftest import Stores


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(4) as executor:
        yield executor


def stocked(stores: Stores) -> str:
    """One inventory with 100 on hand (journal at version 2)."""
    handler = stores.handler()
    for command in stocked_inventory("PRD-000001", "TKY-01"):
        handler.handle(envelope(command))
    return "PRD-000001@TKY-01"


def intakes(*sent: CommandEnvelope[Any]) -> list[Intake]:
    return [classify(encode(e), "inventory") for e in sent]


def on_hand(stores: Stores, inventory_id: str) -> int:
    quantity = 0
    for stored in stores.events.load_events(inventory_id):
        event = decode_event(stored.payload).event
        quantity += getattr(event, "quantity", 0) * (-1 if "Issued" in stored.event_type else 1)
    return quantity


def test_a_rounds_commands_are_one_entry_each_decided_on_the_state_before_it(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    inv = stocked(stores)
    batch = BatchHandler(stores.handler(), pool)
    # 100 on hand: +10 = 110; 150 is refused; -50 = 60; +1 = 61; -61 = 0 passes exactly
    commands = (ReceiveStock(inv, 10), IssueStock(inv, 150), IssueStock(inv, 50),
                ReceiveStock(inv, 1), IssueStock(inv, 61))  # fmt: skip
    sent = [envelope(c) for c in commands]
    answers = batch.answer(intakes(*sent))
    outcomes = [a.outcome for a in answers if a.outcome is not None]
    assert [o.status for o in outcomes] == ["ACCEPTED", "REJECTED", "ACCEPTED", "ACCEPTED",
                                            "ACCEPTED"]  # fmt: skip
    assert outcomes[1].error_code == "INSUFFICIENT_STOCK"
    assert [o.version for o in outcomes] == [3, None, 4, 5, 6]
    [entry] = stores.events.load(inv, after_version=2)
    accepted = [sent[i].meta.command_id for i in (0, 2, 3, 4)]
    assert entry.command_ids == tuple(accepted)
    assert [e.command_id for e in entry.events] == accepted
    assert on_hand(stores, inv) == 0
    # each part answers a redelivery from the journal alone (a fresh worker, no outcomes)
    stores.outcomes = type(stores.outcomes)()
    again = BatchHandler(stores.handler(), pool).answer(intakes(sent[3]))
    assert again[0].outcome is not None and again[0].outcome.version == 5
    assert stores.events.version(inv) == 6


def test_a_stale_state_redecides_the_whole_group_on_the_reloaded_one(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    inv = stocked(stores)
    batch = BatchHandler(stores.handler(), pool)
    batch.answer(intakes(envelope(ReceiveStock(inv, 1))))  # now cached, at 101
    stores.handler().handle(envelope(IssueStock(inv, 61)))  # another worker: 40 left
    sent = [envelope(IssueStock(inv, 30)), envelope(IssueStock(inv, 20))]
    answers = batch.answer(intakes(*sent))
    statuses = [a.outcome.status for a in answers if a.outcome is not None]
    assert statuses == ["ACCEPTED", "REJECTED"]  # on the cached 101 both would have passed
    assert on_hand(stores, inv) == 10
    assert [e.seq_nr for e in stores.events.load_events(inv)] == list(range(1, 6))


def test_more_commands_than_a_round_holds_take_one_entry_per_round(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    inv = stocked(stores)
    sent = [envelope(ReceiveStock(inv, 1)) for _ in range(ROUND * 2 + 1)]
    BatchHandler(stores.handler(), pool).answer(intakes(*sent))
    entries = stores.events.load(inv, after_version=2)
    assert [len(e.command_ids) for e in entries] == [ROUND, ROUND, 1]
    assert on_hand(stores, inv) == 100 + ROUND * 2 + 1


class CountingJournal:
    """The in-memory event store, counting the journal reads."""

    def __init__(self, events: Any) -> None:
        self._events = events
        self.reads: list[str] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._events, name)
        if name not in ("follow", "entry_at", "load"):
            return method

        def read(aggregate_id: str, *args: Any, **kwargs: Any) -> Any:
            self.reads.append(f"{name} {aggregate_id}")
            return method(aggregate_id, *args, **kwargs)

        return read


def test_a_group_loaded_from_a_snapshot_answers_its_journaled_commands_by_their_keys(
    stores: Stores,
) -> None:
    inv = stocked(stores)
    earlier = [envelope(ReceiveStock(inv, n)) for n in (1, 2)]
    for sent in earlier:  # journaled with a snapshot each; say their outcomes were lost
        stores.handler(snapshot_every=1).resolve(sent, None)
    journal = CountingJournal(stores.events)
    stores.events = journal  # type: ignore[assignment]
    group = [*earlier, envelope(ReceiveStock(inv, 3))]
    answers = stores.handler(snapshot_every=1).resolve_group(group, [None, None, None])
    assert [(a.outcome.status, a.outcome.version) for a in answers] == [
        ("ACCEPTED", 3), ("ACCEPTED", 4), ("ACCEPTED", 5)]  # fmt: skip
    # the snapshot names the recent commands and their entries: one key lookup each
    assert [r for r in journal.reads if r.endswith(inv)] == [
        f"follow {inv}", f"entry_at {inv}", f"entry_at {inv}"]  # fmt: skip
    assert on_hand(stores, inv) == 106
