"""A stale cache meets the conditional append: reload, decide again, bounded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from connectors.eventstore import ConcurrencyError, InMemoryEventStore, JournalEntry, NewEvent
from domain import ActivateWarehouse, DeactivateWarehouse, ReceiveStock
from schemas import CommandEnvelope, decode_event
from streams.handling.outcomes import encode_events
from tests.unit.streams.builders import envelope, stocked_inventory
from tests.unit.streams.conftest import Stores

PRODUCT = "PRD-000003"
INV = f"{PRODUCT}@TKY-01"


class AlwaysConflicting(InMemoryEventStore):
    def append(
        self, aggregate_id: str, aggregate_type: str, expected_version: int,
        events: Sequence[NewEvent], command_id: str, correlation_id: str,
    ) -> JournalEntry:  # fmt: skip
        raise ConcurrencyError("someone else wrote first", aggregate_id=aggregate_id)


def test_a_write_behind_the_workers_back_is_reloaded_and_decided_again(stores: Stores) -> None:
    handler = stores.handler()
    for command in stocked_inventory(PRODUCT, "TKY-01"):
        handler.handle(envelope(command))
    behind = envelope(ReceiveStock(INV, 7))
    stores.events.append(
        INV, "inventory", 2, encode_events(behind.meta, INV, 2, [_received(7)]),
        behind.meta.command_id, behind.meta.correlation_id,
    )  # fmt: skip
    outcome = handler.handle(envelope(ReceiveStock(INV, 5)))
    assert (outcome.status, outcome.version) == ("ACCEPTED", 4)
    last = decode_event(stores.events.load_events(INV)[-1].payload).event
    assert last.on_hand_after == 112
    assert handler.loader.load("inventory", INV).state.on_hand == 112


def test_endless_conflicts_end_in_a_concurrency_rejection(stores: Stores) -> None:
    stores.events = AlwaysConflicting()
    outcome = stores.handler(max_concurrency_retries=2).handle(
        envelope(stocked_inventory(PRODUCT, "TKY-01")[0])
    )
    assert (outcome.status, outcome.error_code) == ("REJECTED", "CONCURRENCY")


def test_a_conflict_with_its_own_earlier_append_is_answered_from_the_journal(
    stores: Stores,
) -> None:
    handler = stores.handler()
    for command in stocked_inventory(PRODUCT, "TKY-01"):
        handler.handle(envelope(command))
    sent = envelope(ReceiveStock(INV, 3))
    other = stores.handler()
    first = other.handle(sent)  # another worker handled it; our cache is stale
    stores.outcomes._outcomes.clear()  # and its outcome record was lost
    assert handler.handle(sent).version == first.version == 3
    assert stores.events.version(INV) == 3


def _received(quantity: int) -> object:
    from domain.inventory.events import StockReceived_V1

    return StockReceived_V1(
        INV, PRODUCT, "TKY", "TKY-01", quantity=quantity, on_hand_after=107,
        reserved_after=0, available_after=107, operator=None, note=None,
    )  # fmt: skip


def _expecting(command: ReceiveStock, version: int) -> CommandEnvelope[Any]:
    sent = envelope(command)
    return CommandEnvelope(replace(sent.meta, expected_version=version), command)


def test_a_command_expecting_another_version_is_rejected_as_concurrency(stores: Stores) -> None:
    handler = stores.handler()
    for command in stocked_inventory(PRODUCT, "TKY-01"):
        handler.handle(envelope(command))  # the inventory is at version 2
    stale = handler.handle(_expecting(ReceiveStock(INV, 5), 1))
    assert (stale.status, stale.error_code) == ("REJECTED", "CONCURRENCY")
    assert handler.handle(_expecting(ReceiveStock(INV, 5), 2)).version == 3


def test_an_expected_version_ahead_of_the_cache_is_checked_against_the_journal(
    stores: Stores,
) -> None:
    handler = stores.handler()
    for command in stocked_inventory(PRODUCT, "TKY-01"):
        handler.handle(envelope(command))
    stores.handler().handle(envelope(ReceiveStock(INV, 1)))  # another worker: now version 3
    assert handler.handle(_expecting(ReceiveStock(INV, 5), 3)).version == 4


def test_a_refusal_is_never_based_on_a_cached_ref(stores: Stores) -> None:
    handler = stores.handler()
    for command in stocked_inventory(PRODUCT, "TKY-01"):
        handler.handle(envelope(command))
    handler.handle(envelope(DeactivateWarehouse("TKY")))
    refused = handler.handle(envelope(ReceiveStock(INV, 1)))  # caches the inactive warehouse
    assert refused.error_code == "WAREHOUSE_INACTIVE"
    stores.handler().handle(envelope(ActivateWarehouse("TKY")))  # another worker, just now
    assert handler.handle(envelope(ReceiveStock(INV, 5))).status == "ACCEPTED"
