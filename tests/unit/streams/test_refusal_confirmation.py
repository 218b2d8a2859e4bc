"""A refusal decided on a cached state is confirmed against the journal head before it is final."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from connectors.eventstore import InMemoryEventStore
from domain import ActivateWarehouse, DeactivateWarehouse, IssueStock, ReceiveStock
from schemas import encode
from streams.handling import BatchHandler, CommandHandler, classify
from tests.unit.streams.builders import envelope, stocked_inventory
from tests.unit.streams.conftest import Stores

INVS = [f"PRD-00000{n}@TKY-01" for n in (1, 2, 3)]


class HeadCountingStore(InMemoryEventStore):
    def __init__(self) -> None:
        super().__init__()
        self.head_checks: list[set[str]] = []

    def moved_since(self, versions: Mapping[str, int]) -> set[str]:
        self.head_checks.append(set(versions))
        return super().moved_since(versions)


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(4) as executor:
        yield executor


@pytest.fixture
def journal(stores: Stores) -> HeadCountingStore:
    stores.events = HeadCountingStore()
    return stores.events


def warm_worker(stores: Stores) -> CommandHandler:
    """A worker that created three stocked inventories (100 each) and caches them."""
    handler = stores.handler()
    for inventory_id in INVS:
        for command in stocked_inventory(inventory_id.split("@")[0], "TKY-01"):
            handler.handle(envelope(command))
    return handler


def test_a_refusal_on_a_stale_cache_is_decided_again_on_the_journal(
    stores: Stores, journal: HeadCountingStore
) -> None:
    cached = warm_worker(stores)
    stores.handler().handle(envelope(ReceiveStock(INVS[0], 100)))  # another worker, meanwhile
    outcome = cached.handle(envelope(IssueStock(INVS[0], 150)))
    assert (outcome.status, outcome.version) == ("ACCEPTED", 4)
    assert stores.outcomes.find_outcome(outcome.command_id) == outcome


def test_a_round_confirms_all_its_refusals_in_one_head_check(
    stores: Stores, journal: HeadCountingStore, pool: ThreadPoolExecutor
) -> None:
    cached = warm_worker(stores)
    stores.handler().handle(envelope(ReceiveStock(INVS[1], 100)))  # only the second moved
    journal.head_checks.clear()
    sent = [envelope(IssueStock(inventory_id, 150)) for inventory_id in INVS]
    batch = BatchHandler(cached, pool).answer([classify(encode(e), "inventory") for e in sent])
    codes = [(a.outcome.status, a.outcome.error_code) for a in batch if a.outcome]
    assert codes == [("REJECTED", "INSUFFICIENT_STOCK"), ("ACCEPTED", None),
                     ("REJECTED", "INSUFFICIENT_STOCK")]  # fmt: skip
    assert journal.head_checks == [set(INVS)]


def test_a_no_op_on_a_stale_cache_is_confirmed_too(
    stores: Stores, journal: HeadCountingStore
) -> None:
    cached = stores.handler()
    for command in stocked_inventory("PRD-000001", "TKY-01"):
        cached.handle(envelope(command))
    cached.handle(envelope(DeactivateWarehouse("TKY")))
    stores.handler().handle(envelope(ActivateWarehouse("TKY")))  # another worker
    outcome = cached.handle(envelope(DeactivateWarehouse("TKY")))  # "already inactive"?
    assert (outcome.status, outcome.event_types) == ("ACCEPTED", ("WarehouseDeactivated_V1",))


def test_a_refusal_decided_on_a_state_just_read_needs_no_head_check(
    stores: Stores, journal: HeadCountingStore
) -> None:
    warm_worker(stores)
    journal.head_checks.clear()
    cold = stores.handler()  # a fresh worker reads the inventory from the journal
    outcome = cold.handle(envelope(IssueStock(INVS[0], 150)))
    assert outcome.error_code == "INSUFFICIENT_STOCK"
    assert not [c for c in journal.head_checks if INVS[0] in c]


def test_an_expected_version_refusal_on_a_stale_cache_is_confirmed(
    stores: Stores, journal: HeadCountingStore
) -> None:
    cached = warm_worker(stores)
    stores.handler().handle(envelope(ReceiveStock(INVS[0], 1)))  # v3 now; the cache says v2
    sent = envelope(ReceiveStock(INVS[0], 1))
    expecting = replace(sent, meta=replace(sent.meta, expected_version=3))
    outcome = cached.handle(expecting)
    assert (outcome.status, outcome.version) == ("ACCEPTED", 4)
