"""Every way a command can end: accepted, unchanged, refused, recorded-and-refused."""

from __future__ import annotations

from domain import (
    CreateInventory,
    DiscontinueProduct,
    IssueStock,
    ReceiveStock,
    StorageCondition,
    UpdateProduct,
)
from domain.product import Product
from schemas import decode_event
from tests.unit.streams.builders import (
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    stocked_inventory,
)
from tests.unit.streams.conftest import Stores

PRODUCT = "PRD-000001"
INV = f"{PRODUCT}@TKY-01"


def run(stores: Stores, *commands: object) -> list[object]:
    handler = stores.handler()
    return [handler.handle(envelope(c)) for c in commands]  # type: ignore[arg-type]


def test_a_new_product_is_accepted_at_version_one_with_its_event_types(stores: Stores) -> None:
    [outcome] = run(stores, create_product(PRODUCT))
    assert outcome.status == "ACCEPTED"
    assert outcome.version == 1
    assert outcome.event_types == ("ProductCreated_V1",)
    [event] = stores.events.load_events(PRODUCT)
    decoded = decode_event(event.payload)
    assert decoded.meta.sequence_nr == 1
    assert decoded.meta.causation_id == outcome.command_id
    assert decoded.meta.aggregate_id == PRODUCT


def test_a_command_for_a_missing_aggregate_is_rejected_as_not_found(stores: Stores) -> None:
    [outcome] = run(stores, DiscontinueProduct(PRODUCT))
    assert (outcome.status, outcome.error_code) == ("REJECTED", "NOT_FOUND")
    assert stores.events.version(PRODUCT) == 0


def test_a_business_rule_refusal_is_rejected_with_its_code_and_recorded(stores: Stores) -> None:
    outcomes = run(stores, *stocked_inventory(PRODUCT, "TKY-01"), IssueStock(INV, 1000))
    refusal = outcomes[-1]
    assert (refusal.status, refusal.error_code) == ("REJECTED", "INSUFFICIENT_STOCK")
    assert stores.outcomes.find_outcome(refusal.command_id) == refusal
    assert stores.events.version(INV) == 2


def test_a_command_that_changes_nothing_is_accepted_without_events(stores: Stores) -> None:
    _, same = run(stores, create_product(PRODUCT), UpdateProduct(PRODUCT, name="醤油 1L"))
    assert (same.status, same.version, same.event_types) == ("ACCEPTED", 1, ())


def test_inventory_refuses_stock_for_an_unknown_zone(stores: Stores) -> None:
    outcomes = run(stores, create_product(PRODUCT), create_warehouse("TKY"), CreateInventory(INV))
    assert outcomes[-1].error_code == "UNKNOWN_ZONE"


def test_a_storage_violation_is_recorded_in_the_journal_and_then_rejected(stores: Stores) -> None:
    outcomes = run(
        stores,
        create_product(PRODUCT, StorageCondition.FROZEN),
        create_warehouse("TKY"),
        create_zone("TKY-01"),
        CreateInventory(INV),
    )
    assert outcomes[-1].error_code == "STORAGE_CONDITION_VIOLATION"
    [event] = stores.events.load_events(INV)
    assert event.event_type == "StorageConditionViolated_V1"
    assert event.command_id == outcomes[-1].command_id


def test_inventory_sees_a_discontinuation_made_through_the_same_worker(stores: Stores) -> None:
    handler = stores.handler()
    for command in stocked_inventory(PRODUCT, "TKY-01"):
        handler.handle(envelope(command))
    handler.handle(envelope(DiscontinueProduct(PRODUCT)))
    outcome = handler.handle(envelope(ReceiveStock(INV, 5)))
    assert outcome.error_code == "PRODUCT_DISCONTINUED"


def test_an_envelope_naming_another_aggregate_is_rejected(stores: Stores) -> None:
    sent = envelope(create_product(PRODUCT))
    wrong = type(sent)(meta=type(sent.meta)(**{**vars(sent.meta), "aggregate_id": "PRD-9"}),
                       command=sent.command)  # fmt: skip
    outcome = stores.handler().handle(wrong)
    assert (outcome.status, outcome.error_code) == ("REJECTED", "VALIDATION")


def test_a_snapshot_is_taken_every_n_events_and_restores_the_same_state(stores: Stores) -> None:
    handler = stores.handler(snapshot_every=2)
    run_all = [create_product(PRODUCT)] + [UpdateProduct(PRODUCT, name=f"n{i}") for i in range(4)]
    for command in run_all:
        handler.handle(envelope(command))
    snapshot = stores.snapshots.latest(PRODUCT)
    assert snapshot is not None and snapshot.version == 4
    cold = stores.handler().loader.load("product", PRODUCT)
    warm = handler.loader.load("product", PRODUCT)
    assert cold.version == warm.version == 5
    assert isinstance(cold.state, Product) and cold.state == warm.state
