"""A command seen before gets its first outcome back and appends nothing, whatever happened."""

from __future__ import annotations

import pytest

from connectors.eventstore import CommandOutcome, InMemoryOutcomeStore
from domain import CreateInventory, IssueStock, ReceiveStock, StorageCondition
from tests.unit.streams.builders import (
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    stocked_inventory,
)
from tests.unit.streams.conftest import Stores

PRODUCT = "PRD-000002"
INV = f"{PRODUCT}@TKY-01"


class CrashingOutcomeStore(InMemoryOutcomeStore):
    """Loses the worker right after the journal append: recording the outcome fails once."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = True

    def record_outcome(self, outcome: CommandOutcome) -> CommandOutcome:
        if self.armed:
            self.armed = False
            raise ConnectionError("worker died before recording the outcome")
        return super().record_outcome(outcome)


def test_the_same_command_twice_appends_once_and_answers_the_same(stores: Stores) -> None:
    handler = stores.handler()
    sent = envelope(create_product(PRODUCT))
    first, second = handler.handle(sent), handler.handle(sent)
    assert first == second
    assert stores.events.version(PRODUCT) == 1


def test_a_redelivery_after_a_restart_gets_the_original_outcome(stores: Stores) -> None:
    sent = envelope(create_product(PRODUCT))
    first = stores.handler().handle(sent)
    assert stores.handler().handle(sent) == first
    assert stores.events.version(PRODUCT) == 1


def test_a_redelivered_rejection_stays_a_rejection_even_if_it_would_now_pass(
    stores: Stores,
) -> None:
    handler = stores.handler()
    for command in stocked_inventory(PRODUCT, "TKY-01"):
        handler.handle(envelope(command))
    too_much = envelope(IssueStock(INV, 150))
    refused = handler.handle(too_much)
    handler.handle(envelope(ReceiveStock(INV, 100)))
    assert stores.handler().handle(too_much) == refused


@pytest.mark.parametrize("restart", [False, True])
def test_a_crash_between_append_and_outcome_still_answers_accepted_from_the_journal(
    stores: Stores, restart: bool
) -> None:
    stores.outcomes = CrashingOutcomeStore()
    handler = stores.handler()
    sent = envelope(create_product(PRODUCT))
    with pytest.raises(ConnectionError):
        handler.handle(sent)
    assert stores.events.version(PRODUCT) == 1
    outcome = (stores.handler() if restart else handler).handle(sent)
    assert (outcome.status, outcome.version) == ("ACCEPTED", 1)
    assert outcome.event_types == ("ProductCreated_V1",)
    assert stores.events.version(PRODUCT) == 1
    assert stores.outcomes.find_outcome(sent.meta.command_id) == outcome


def test_a_crash_after_recording_a_violation_answers_the_violation_again(stores: Stores) -> None:
    handler = stores.handler()
    for command in (
        create_product(PRODUCT, StorageCondition.CHILLED),
        create_warehouse("TKY"),
        create_zone("TKY-01"),
    ):
        handler.handle(envelope(command))
    stores.outcomes = CrashingOutcomeStore()
    sent = envelope(CreateInventory(INV))
    with pytest.raises(ConnectionError):
        stores.handler().handle(sent)
    outcome = stores.handler().handle(sent)
    assert outcome.error_code == "STORAGE_CONDITION_VIOLATION"
    assert stores.events.version(INV) == 1


def test_a_redelivery_of_a_command_older_than_the_snapshot_is_found(stores: Stores) -> None:
    stores.outcomes = CrashingOutcomeStore()
    handler = stores.handler(snapshot_every=1)
    sent = envelope(create_product(PRODUCT))
    with pytest.raises(ConnectionError):
        handler.handle(sent)
    stores.snapshots.save(PRODUCT, 1, b"")  # an unreadable snapshot falls back to replay
    assert stores.handler().handle(sent).version == 1
