"""Commands through Kafka and a worker subprocess to events in DynamoDB and outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.eventstore.wiring import DynamoDBStores
from domain import (
    ActivateWarehouse,
    AdjustmentReason,
    AdjustStock,
    ChangeCustomerType,
    ChangeStorageCondition,
    ChangeWarehouseCapacity,
    ChangeZoneCapacity,
    CreateInventory,
    CustomerType,
    DeactivateCustomer,
    DeactivateWarehouse,
    DeactivateZone,
    DiscontinueProduct,
    IssueStock,
    ReceiveStock,
    ReleaseStock,
    ReserveStock,
    StorageCondition,
    UpdateCustomer,
    UpdateProduct,
    UpdateWarehouse,
    UpdateZone,
)
from domain.message import Command
from schemas import CommandOutcome
from streams.handling.outcomes import encode_events
from tests.integration.streams.journal import folded, journal_types
from tests.integration.streams.kafka_io import TopicReader, collect_outcomes, send_commands
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.streams.builders import (
    create_customer,
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    unique_number,
    unique_warehouse,
)

pytestmark = pytest.mark.integration
TIMEOUT_S = 60


def round_trip(
    bootstrap: str, results: TopicReader, commands: list[Command]
) -> list[CommandOutcome]:
    """Send ``commands``, wait for their outcomes and return them in command order."""
    envelopes = [envelope(c) for c in commands]
    send_commands(bootstrap, envelopes)
    found = collect_outcomes(results, {e.meta.command_id for e in envelopes}, TIMEOUT_S)
    missing = [type(e.command).__name__ for e in envelopes if not found[e.meta.command_id]]
    assert not missing, f"no outcome for {missing}"
    return [found[e.meta.command_id][0] for e in envelopes]


def accepted(outcomes: list[CommandOutcome]) -> None:
    refused = [
        (o.aggregate_id, o.error_code, o.message) for o in outcomes if o.status != "ACCEPTED"
    ]
    assert not refused


def test_every_aggregates_commands_become_events_and_outcomes(
    worker: WorkerProcess, bootstrap: str, results: TopicReader, stores: DynamoDBStores
) -> None:
    n, w = unique_number(), unique_warehouse()
    product, other, customer = f"PRD-{n}", f"PRD-{n + 1}", f"CUS-{n}"
    zone, spare_zone, inv = f"{w}-01", f"{w}-02", f"PRD-{n}@{w}-01"
    accepted(round_trip(bootstrap, results, [
        create_product(product), create_product(other), create_customer(customer),
        create_warehouse(w), create_zone(zone), create_zone(spare_zone),
    ]))  # fmt: skip
    accepted(round_trip(bootstrap, results, [
        UpdateProduct(other, name="味噌 500g"),
        ChangeStorageCondition(other, StorageCondition.CHILLED),
        DiscontinueProduct(other),
        UpdateCustomer(customer, name="スーパーB"),
        ChangeCustomerType(customer, CustomerType.RETAILER),
        DeactivateCustomer(customer),
        UpdateWarehouse(w, name="大阪倉庫"), ChangeWarehouseCapacity(w, 5),
        DeactivateWarehouse(w), ActivateWarehouse(w),
        UpdateZone(spare_zone, name="予備"), ChangeZoneCapacity(spare_zone, 50),
        DeactivateZone(spare_zone),
        CreateInventory(inv),
    ]))  # fmt: skip
    movements = round_trip(bootstrap, results, [
        ReceiveStock(inv, 100), ReserveStock(inv, "R-1", 30), ReleaseStock(inv, "R-1"),
        ReserveStock(inv, "R-2", 10), IssueStock(inv, 10, "R-2"),
        AdjustStock(inv, -5, AdjustmentReason.DAMAGE),
    ])  # fmt: skip
    accepted(movements)
    assert [o.version for o in movements] == [2, 3, 4, 5, 6, 7]
    assert movements[0].event_types == ("StockReceived_V1",)
    assert journal_types(stores.events, other) == [
        "ProductCreated_V1", "ProductUpdated_V1", "StorageConditionChanged_V1",
        "ProductDiscontinued_V1",
    ]  # fmt: skip
    assert len(journal_types(stores.events, customer)) == 4
    assert len(journal_types(stores.events, w)) == 5
    assert len(journal_types(stores.events, spare_zone)) == 4
    state = folded(stores.events, "inventory", inv)
    assert (state.on_hand, state.reserved, state.version) == (85, 0, 7)


def test_the_same_command_twice_appends_once_and_answers_the_same_twice(
    worker: WorkerProcess, bootstrap: str, results: TopicReader, stores: DynamoDBStores
) -> None:
    product = f"PRD-{unique_number()}"
    sent = envelope(create_product(product))
    send_commands(bootstrap, [sent, sent])
    found = collect_outcomes(results, {sent.meta.command_id}, TIMEOUT_S, copies=2)
    first, second = found[sent.meta.command_id][:2]
    assert first == second and first.status == "ACCEPTED"
    assert journal_types(stores.events, product) == ["ProductCreated_V1"]


def test_a_write_behind_the_workers_back_is_reloaded_and_decided_again(
    worker: WorkerProcess, bootstrap: str, results: TopicReader, stores: DynamoDBStores
) -> None:
    n, w = unique_number(), unique_warehouse()
    inv = f"PRD-{n}@{w}-01"
    accepted(round_trip(bootstrap, results, [
        create_product(f"PRD-{n}"), create_warehouse(w), create_zone(f"{w}-01"),
    ]))  # fmt: skip
    accepted(round_trip(bootstrap, results, [CreateInventory(inv), ReceiveStock(inv, 100)]))
    behind = envelope(ReceiveStock(inv, 7))
    stores.events.append(
        inv, "inventory", 2, encode_events(behind.meta, inv, 2, [_received(inv, 7, 107)]),
        behind.meta.command_id, behind.meta.correlation_id,
    )  # fmt: skip
    [outcome] = round_trip(bootstrap, results, [ReceiveStock(inv, 5)])
    assert (outcome.status, outcome.version) == ("ACCEPTED", 4)
    assert folded(stores.events, "inventory", inv).on_hand == 112
    last = stores.events.load_events(inv)[-1]
    from schemas import decode_event

    assert decode_event(last.payload, upcast=False).event.on_hand_after == 112


def _received(inv: str, quantity: int, on_hand_after: int) -> Any:
    from domain.inventory.events import StockReceived_V1

    product, zone = inv.split("@")
    return StockReceived_V1(
        inv, product, zone[:3], zone, quantity=quantity, on_hand_after=on_hand_after,
        reserved_after=0, available_after=on_hand_after, operator=None, note=None,
    )  # fmt: skip
