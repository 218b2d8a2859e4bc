"""A batch is answered like its messages one by one: per-aggregate order, one outcome each."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastavro import schemaless_writer

from connectors.eventstore import (
    CommandOutcome,
    InMemoryEventStore,
    InMemoryOutcomeStore,
    JournalEntry,
)
from domain import DiscontinueProduct, IssueStock, ReceiveStock
from domain.fingerprint import fingerprint
from schemas import CommandEnvelope, encode, framing
from schemas.registry import default_registry
from streams.handling import BatchAbandoned, BatchHandler, classify
from streams.handling.intake import Intake
from tests.unit.streams.builders import create_product, envelope, stocked_inventory
from tests.unit.streams.conftest import Stores


class CountingOutcomeStore(InMemoryOutcomeStore):
    """Counts the outcome store's round trips; can fail the batch write a number of times."""

    def __init__(self, write_failures: int = 0) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.write_failures = write_failures

    def find_outcome(self, command_id: str) -> CommandOutcome | None:
        self.calls.append("find_outcome")
        return super().find_outcome(command_id)

    def find_outcomes(self, command_ids: Iterable[str]) -> dict[str, CommandOutcome]:
        self.calls.append("find_outcomes")
        return super().find_outcomes(command_ids)

    def record_outcome(self, outcome: CommandOutcome) -> CommandOutcome:
        self.calls.append("record_outcome")
        if self.write_failures > 0:
            self.write_failures -= 1
            raise TimeoutError("dynamodb did not answer")
        return super().record_outcome(outcome)

    def record_outcomes(
        self, outcomes: Iterable[CommandOutcome], known_absent: bool = False
    ) -> list[CommandOutcome]:
        self.calls.append("record_outcomes")
        if self.write_failures > 0:
            self.write_failures -= 1
            raise TimeoutError("dynamodb did not answer")
        return super().record_outcomes(outcomes, known_absent)


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(4) as executor:
        yield executor


def batch(stores: Stores, pool: ThreadPoolExecutor) -> BatchHandler:
    return BatchHandler(stores.handler(), pool, backoff_s=(0.0,), sleep=lambda _: None)


def intakes(*sent: CommandEnvelope[Any], aggregate_type: str = "inventory") -> list[Intake]:
    return [classify(encode(e), aggregate_type) for e in sent]


def stock(stores: Stores, pool: ThreadPoolExecutor, zones: Iterable[str]) -> list[str]:
    """Create a stocked inventory (100 on hand) per zone; return their ids."""
    handler, ids = stores.handler(), []
    for n, zone in enumerate(zones):
        for command in stocked_inventory(f"PRD-00000{n}", zone):
            handler.handle(envelope(command))
        ids.append(f"PRD-00000{n}@{zone}")
    return ids


def test_each_aggregates_commands_apply_in_arrival_order(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    a, b = stock(stores, pool, ["TKY-01", "OSK-01"])
    # on each aggregate, the issue only passes after the receipt before it
    commands = (ReceiveStock(a, 50), ReceiveStock(b, 10), IssueStock(a, 150),
                IssueStock(b, 110), IssueStock(a, 1), IssueStock(b, 1))  # fmt: skip
    sent = [envelope(c) for c in commands]
    answers = batch(stores, pool).answer(intakes(*sent))
    statuses = [(x.outcome.status if x.outcome else None) for x in answers]
    assert statuses == ["ACCEPTED", "ACCEPTED", "ACCEPTED", "ACCEPTED", "REJECTED", "REJECTED"]
    assert [x.outcome.command_id for x in answers if x.outcome] == [e.meta.command_id for e in sent]


def test_a_batch_reads_and_writes_the_outcome_store_once(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    invs = stock(stores, pool, ["TKY-01", "OSK-01", "FUK-01"])
    stores.outcomes = counting = CountingOutcomeStore()
    sent = [envelope(ReceiveStock(invs[n % 3], 1)) for n in range(30)]
    answers = batch(stores, pool).answer(intakes(*sent))
    assert {a.outcome.status for a in answers if a.outcome} == {"ACCEPTED"}
    assert counting.calls == ["find_outcomes", "record_outcomes"]
    assert all(counting.find_outcome(e.meta.command_id) for e in sent)


def test_a_command_twice_in_one_batch_is_decided_once(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    (inv,) = stock(stores, pool, ["TKY-01"])
    receipt = envelope(ReceiveStock(inv, 5))
    answers = batch(stores, pool).answer(intakes(receipt, receipt))
    assert answers[0] == answers[1]
    assert stores.events.version(inv) == 3  # created, received 100, received 5


def test_a_command_already_answered_gets_its_recorded_outcome(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    (inv,) = stock(stores, pool, ["TKY-01"])
    too_much = envelope(IssueStock(inv, 150))
    refused = stores.handler().handle(too_much)
    answers = batch(stores, pool).answer(intakes(envelope(ReceiveStock(inv, 100)), too_much))
    assert answers[1].outcome == refused


def test_undecodable_bytes_become_dead_letters_in_place(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    sent = envelope(create_product("PRD-000009"))
    mixed = [classify(b"\x00junk", "product"), *intakes(sent, aggregate_type="product")]
    answers = batch(stores, pool).answer(mixed)
    assert answers[0].dead_letter and answers[0].outcome is None
    assert answers[1].outcome is not None and answers[1].outcome.status == "ACCEPTED"


def test_an_applied_command_whose_outcome_cannot_be_recorded_yet_is_never_answered_rejected(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    stores.outcomes = counting = CountingOutcomeStore(write_failures=7)  # ~15 s of retries
    sent = envelope(create_product("PRD-000009"))
    (answer,) = batch(stores, pool).answer(intakes(sent, aggregate_type="product"))
    assert answer.outcome is not None and answer.outcome.status == "ACCEPTED"
    assert counting.calls.count("record_outcome") == 8  # retried until it was on record
    assert stores.outcomes.find_outcome(sent.meta.command_id) == answer.outcome
    assert stores.events.version("PRD-000009") == 1


def test_a_worker_stopping_while_outcomes_cannot_be_recorded_gives_the_batch_up(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    stores.outcomes = CountingOutcomeStore(write_failures=1_000_000)
    stopping = [False]

    def sleep(_: float) -> None:
        stopping[0] = True  # the worker is told to stop while the batch waits to retry

    batches = BatchHandler(stores.handler(), pool, sleep=sleep, stopping=lambda: stopping[0])
    sent = envelope(create_product("PRD-000009"))
    with pytest.raises(BatchAbandoned):
        batches.answer(intakes(sent, aggregate_type="product"))
    stores.outcomes.write_failures = 0  # the restarted worker: the journal answers
    (again,) = batch(stores, pool).answer(intakes(sent, aggregate_type="product"))
    assert again.outcome is not None
    assert (again.outcome.status, again.outcome.version) == ("ACCEPTED", 1)


class WorkerDied(BaseException):
    """Not an Exception: nothing in the handler catches it, as nothing survives a kill -9."""


class DyingOutcomeStore(InMemoryOutcomeStore):
    """Records ``survive`` batches of outcomes, then the worker dies while recording."""

    def __init__(self, survive: int) -> None:
        super().__init__()
        self.survive: int | None = survive

    def record_outcomes(
        self, outcomes: Iterable[CommandOutcome], known_absent: bool = False
    ) -> list[CommandOutcome]:
        if self.survive == 0:
            raise WorkerDied
        if self.survive is not None:
            self.survive -= 1
        return super().record_outcomes(outcomes, known_absent)


def test_a_batch_redelivered_after_a_crash_appends_nothing_twice(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    (inv,) = stock(stores, pool, ["TKY-01"])
    before = stores.events.version(inv)
    # many commands of one aggregate in one batch: more than a cold load's recent ids
    sent = [envelope(ReceiveStock(inv, 1)) for _ in range(100)]
    stores.outcomes = dying = DyingOutcomeStore(survive=2)
    with pytest.raises(WorkerDied):
        batch(stores, pool).answer(intakes(*sent))
    assert stores.events.version(inv) > before
    dying.survive = None  # the restarted worker (a fresh cache) over the same tables
    answers = batch(stores, pool).answer(intakes(*sent))
    assert [a.outcome.status for a in answers if a.outcome] == ["ACCEPTED"] * 100
    assert stores.events.version(inv) == before + 100
    versions = [a.outcome.version for a in answers if a.outcome]
    assert versions == list(range(before + 1, before + 101))


class CountingEventStore(InMemoryEventStore):
    """Counts journal reads: full loads and batched head checks."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.head_checks = 0

    def load(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        self.loads.append(aggregate_id)
        return super().load(aggregate_id, after_version)

    def moved_since(self, versions: Mapping[str, int]) -> set[str]:
        self.head_checks += 1
        return super().moved_since(versions)


def test_aged_refs_are_checked_in_one_round_trip_and_a_moved_one_is_caught_up(
    pool: ThreadPoolExecutor,
) -> None:
    stores = Stores()
    stores.events = journal = CountingEventStore()
    now = [0.0]
    handler = stores.handler(refs_max_age_s=2.0)
    handler.loader._clock = lambda: now[0]
    for command in stocked_inventory("PRD-000001", "TKY-01"):
        handler.handle(envelope(command))
    now[0] = 10.0  # every ref is older than refs_max_age_s now
    stores.handler().handle(envelope(DiscontinueProduct("PRD-000001")))  # another worker
    journal.loads.clear()
    receipts = [envelope(ReceiveStock("PRD-000001@TKY-01", 1)) for _ in range(5)]
    answers = BatchHandler(handler, pool).answer(intakes(*receipts))
    # one for the aged refs; one to confirm the refusals decided on the cached inventory
    assert journal.head_checks == 2
    assert journal.loads == ["PRD-000001"]  # the product moved; warehouse and zone did not
    assert {a.outcome.error_code for a in answers if a.outcome} == {"PRODUCT_DISCONTINUED"}


class BlindWriteOutcomeStore(InMemoryOutcomeStore):
    """Like DynamoDB: a batch write told the ids are absent overwrites; lookups can fail."""

    def __init__(self, lookup_failures: int) -> None:
        super().__init__()
        self.lookup_failures = lookup_failures

    def find_outcomes(self, command_ids: Iterable[str]) -> dict[str, CommandOutcome]:
        if self.lookup_failures > 0:
            self.lookup_failures -= 1
            raise TimeoutError("dynamodb did not answer")
        return super().find_outcomes(command_ids)

    def record_outcomes(
        self, outcomes: Iterable[CommandOutcome], known_absent: bool = False
    ) -> list[CommandOutcome]:
        if not known_absent:
            return super().record_outcomes(outcomes)
        wanted = list(outcomes)
        for outcome in wanted:
            self._outcomes[outcome.command_id] = outcome
        return wanted


def _refused_receipt(inventory_id: str, command_id: str) -> Intake:
    """A receipt of -5 units: the value object refuses it, so it is an Invalid intake."""
    sent = envelope(ReceiveStock(inventory_id, 5), command_id)
    datum = {"meta": {**vars(sent.meta)}, "inventory_id": inventory_id, "quantity": -5,
             "operator": None, "note": None}  # fmt: skip
    entry = default_registry().by_name("zaiko.commands.inventory.ReceiveStock")
    body = io.BytesIO()
    schemaless_writer(body, entry.writer, datum)
    return classify(framing.frame(entry.fingerprint, body.getvalue()), "inventory")


def test_refusals_after_a_failed_lookup_never_overwrite_an_outcome_on_record(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    a, b = stock(stores, pool, ["TKY-01", "OSK-01"])
    stores.outcomes = blind = BlindWriteOutcomeStore(lookup_failures=1)
    accepted = stores.handler().handle(envelope(ReceiveStock(a, 10), "key-K"))
    assert accepted.status == "ACCEPTED"
    sent = [_refused_receipt(b, "key-K"), _refused_receipt(b, "key-L")]
    answers = batch(stores, pool).answer(sent)
    assert blind.find_outcome("key-K") == accepted  # the lookup failed; the record stands
    assert answers[0].outcome is not None
    assert answers[0].outcome.error_code == "IDEMPOTENCY_KEY_REUSED"
    assert answers[1].outcome is not None and answers[1].outcome.error_code == "VALIDATION"


def test_each_answer_names_the_command_it_answers_even_under_a_reused_key(
    stores: Stores, pool: ThreadPoolExecutor
) -> None:
    (inv,) = stock(stores, pool, ["TKY-01"])
    ten, seven = envelope(ReceiveStock(inv, 10), "key-K"), envelope(ReceiveStock(inv, 7), "key-K")
    answers = batch(stores, pool).answer(intakes(ten, seven, ten))
    assert [a.answers for a in answers] == [
        fingerprint(ten.command),
        fingerprint(seven.command),
        fingerprint(ten.command),
    ]
    statuses = [(a.outcome.status, a.outcome.error_code) for a in answers if a.outcome]
    assert statuses == [("ACCEPTED", None), ("REJECTED", "IDEMPOTENCY_KEY_REUSED"),
                        ("ACCEPTED", None)]  # fmt: skip
