"""An idempotency key (command id) is bound to its command: reusing it never changes anything."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from domain import CreateWarehouse, IssueStock, ReceiveStock, ReserveStock
from domain.fingerprint import fingerprint
from domain.message import Command
from schemas import CommandEnvelope, encode
from streams.handling import BatchHandler, classify
from tests.unit.streams.builders import envelope, stocked_inventory
from tests.unit.streams.conftest import Stores

A, B = "PRD-000001@TKY-01", "PRD-000002@TKY-01"
REUSED = "IDEMPOTENCY_KEY_REUSED"


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(4) as executor:
        yield executor


@pytest.fixture
def stocked(stores: Stores) -> Stores:
    handler = stores.handler()
    for product in ("PRD-000001", "PRD-000002"):
        for command in stocked_inventory(product, "TKY-01"):
            handler.handle(envelope(command))
    return stores


def answer(stores: Stores, pool: ThreadPoolExecutor, *sent: CommandEnvelope[Any]) -> list[Any]:
    """Answer ``sent`` as one batch of ``inventory.commands`` on a fresh worker."""
    handler = BatchHandler(stores.handler(), pool, sleep=lambda _: None)
    return [a.outcome for a in handler.answer([classify(encode(e), "inventory") for e in sent])]


def on_hand(stores: Stores, inventory_id: str) -> int:
    return int(stores.handler().loader.load("inventory", inventory_id).state.on_hand)


def test_the_fingerprint_depends_on_the_command_only_and_ignores_defaults() -> None:
    receipt = ReceiveStock(A, 10)
    assert fingerprint(receipt) == fingerprint(ReceiveStock(A, 10, note=None))
    # pinned: records outlive processes and Python versions, so the value must not drift
    assert fingerprint(receipt) == "08d12ee41f91bfb3553e1b3cbf22c80f"
    warehouse = CreateWarehouse(warehouse_id="TKY", name="東京倉庫", location="東京都",
                                floor_area_m2=5000.0, capacity=100_000)  # fmt: skip
    assert fingerprint(warehouse) == "41e6e7935039f9599ceee906c69956f8"
    variants = (ReceiveStock(B, 10), ReceiveStock(A, 7), IssueStock(A, 10),
                ReceiveStock(A, 10, note="x"))  # fmt: skip
    others = {fingerprint(c) for c in variants}
    assert len(others) == 4 and fingerprint(receipt) not in others


def test_the_same_key_on_another_aggregate_is_refused_and_changes_nothing(
    stocked: Stores, pool: ThreadPoolExecutor
) -> None:
    first = envelope(ReceiveStock(A, 10), "key-1")
    [accepted] = answer(stocked, pool, first)
    [refused] = answer(stocked, pool, envelope(ReceiveStock(B, 7), "key-1"))
    assert (refused.status, refused.error_code) == ("REJECTED", REUSED)
    assert (refused.aggregate_id, refused.command_id) == (B, "key-1")
    assert on_hand(stocked, B) == 100
    assert stocked.outcomes.find_outcome("key-1") == accepted  # the key keeps its first command
    assert answer(stocked, pool, first) == [accepted]


@pytest.mark.parametrize(
    "second",
    [ReceiveStock(A, 7), IssueStock(A, 10), ReceiveStock(A, 10, note="another")],
    ids=["other payload", "other command type", "other optional field"],
)
def test_the_same_key_with_another_command_on_the_aggregate_is_refused(
    stocked: Stores, pool: ThreadPoolExecutor, second: Command
) -> None:
    answer(stocked, pool, envelope(ReceiveStock(A, 10), "key-2"))
    [refused] = answer(stocked, pool, envelope(second, "key-2"))
    assert (refused.status, refused.error_code) == ("REJECTED", REUSED)
    assert on_hand(stocked, A) == 110


def test_a_key_twice_in_one_batch_with_two_commands_lets_the_first_decide(
    stocked: Stores, pool: ThreadPoolExecutor
) -> None:
    first, again = envelope(ReceiveStock(A, 10), "key-3"), envelope(ReceiveStock(A, 10), "key-3")
    other = envelope(ReceiveStock(B, 7), "key-3")
    outcomes = answer(stocked, pool, first, other, again)
    assert outcomes[0].status == "ACCEPTED" and outcomes[2] == outcomes[0]
    assert (outcomes[1].error_code, outcomes[1].aggregate_id) == (REUSED, B)
    assert (on_hand(stocked, A), on_hand(stocked, B)) == (110, 100)


def test_a_command_found_in_the_journal_is_compared_too(
    stocked: Stores, pool: ThreadPoolExecutor
) -> None:
    # appended, then the worker died before recording the outcome
    stocked.handler().resolve(envelope(ReceiveStock(A, 10), "key-4"), None)
    assert stocked.outcomes.find_outcome("key-4") is None
    [refused] = answer(stocked, pool, envelope(ReceiveStock(A, 99), "key-4"))
    assert refused.error_code == REUSED
    [original] = answer(stocked, pool, envelope(ReceiveStock(A, 10), "key-4"))
    assert (original.status, original.version) == ("ACCEPTED", 3)
    assert on_hand(stocked, A) == 110


def test_an_applied_command_is_answered_accepted_even_if_its_key_was_reused_meanwhile(
    stocked: Stores, pool: ThreadPoolExecutor
) -> None:
    sent = envelope(ReceiveStock(A, 10), "key-5")
    stocked.handler().resolve(sent, None)  # applied on A; the outcome never recorded
    [b] = answer(stocked, pool, envelope(ReceiveStock(B, 7), "key-5"))  # the key reused on B
    assert b.status == "ACCEPTED"  # nothing on record said otherwise: B's is the record
    [a] = answer(stocked, pool, sent)  # A's redelivery
    assert (a.status, a.aggregate_id, a.version) == ("ACCEPTED", A, 3)
    assert (on_hand(stocked, A), on_hand(stocked, B)) == (110, 107)


def test_an_outcome_recorded_without_a_fingerprint_binds_its_aggregate(
    stocked: Stores, pool: ThreadPoolExecutor
) -> None:
    [accepted] = answer(stocked, pool, envelope(ReceiveStock(A, 10), "key-6"))
    legacy = dataclasses.replace(accepted, fingerprint=None)  # recorded before this release
    stocked.outcomes._outcomes["key-6"] = legacy  # type: ignore[attr-defined]
    assert answer(stocked, pool, envelope(ReceiveStock(A, 11), "key-6")) == [legacy]
    [refused] = answer(stocked, pool, envelope(ReceiveStock(B, 10), "key-6"))
    assert refused.error_code == REUSED


def test_a_refused_command_binds_its_key_too(stocked: Stores, pool: ThreadPoolExecutor) -> None:
    [too_much] = answer(stocked, pool, envelope(IssueStock(A, 500), "key-7"))
    assert too_much.error_code == "INSUFFICIENT_STOCK"
    [refused] = answer(stocked, pool, envelope(IssueStock(A, 5), "key-7"))
    assert refused.error_code == REUSED
    assert on_hand(stocked, A) == 100


def test_a_value_object_refusal_binds_its_key(stocked: Stores, pool: ThreadPoolExecutor) -> None:
    bad = encode(envelope(ReserveStock(A, "R-1", 1), "key-8")).replace(b"R-1", b"R\x00\x01")
    handler = BatchHandler(stocked.handler(), pool)
    [invalid] = handler.answer([classify(bad, "inventory")])
    assert invalid.outcome is not None and invalid.outcome.error_code == "VALIDATION"
    [refused] = answer(stocked, pool, envelope(ReserveStock(A, "R-1", 1), "key-8"))
    assert refused.error_code == REUSED


def test_a_command_id_reserved_for_zaiko_is_refused_from_a_topic_and_never_recorded(
    stocked: Stores, pool: ThreadPoolExecutor
) -> None:
    step = "~transfer/PRD-000001@TKY-01/T-1/in"
    [refused] = answer(stocked, pool, envelope(ReceiveStock(A, 10), step))
    assert (refused.status, refused.error_code) == ("REJECTED", "VALIDATION")
    assert stocked.outcomes.find_outcome(step) is None
    assert on_hand(stocked, A) == 100
    # the process manager's own step, handled in-process, is not affected
    assert stocked.handler().handle(envelope(ReceiveStock(A, 10), step)).status == "ACCEPTED"
    [still] = answer(stocked, pool, envelope(ReceiveStock(A, 10), step))
    assert still.error_code == "VALIDATION"  # its outcome is not disclosed either


def test_a_reused_key_refusal_on_a_stale_cache_is_checked_against_the_journal(
    stocked: Stores, pool: ThreadPoolExecutor
) -> None:
    warm = stocked.handler()
    warm.loader.load("inventory", A)  # this worker caches A
    sent = envelope(ReceiveStock(A, 10), "key-9")
    stocked.handler().resolve(sent, None)  # another worker applied it; outcome not recorded
    [b] = answer(stocked, pool, envelope(ReceiveStock(B, 7), "key-9"))  # B's is the record
    assert b.status == "ACCEPTED"
    batch = BatchHandler(warm, pool, sleep=lambda _: None)
    [a] = batch.answer([classify(encode(sent), "inventory")])
    assert a.outcome is not None
    assert (a.outcome.status, a.outcome.aggregate_id, a.outcome.version) == ("ACCEPTED", A, 3)
