"""The worker's metrics move by what it answers: commands, latencies, 受払 and 引当."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import faust
import pytest
from prometheus_client import REGISTRY

from domain import (
    AdjustmentReason,
    AdjustStock,
    CreateInventory,
    IssueStock,
    ReceiveStock,
    ReserveStock,
    StorageCondition,
    TransferStockIn,
    TransferStockOut,
)
from domain.message import Command
from schemas import encode
from streams.runtime import CommandRuntime
from tests.unit.codes import unique_warehouse
from tests.unit.streams.builders import create_product, create_warehouse, create_zone, envelope
from tests.unit.streams.conftest import Stores
from tests.unit.streams.test_runtime_publish import FlakyTopic, Message


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def total(name: str, **labels: str) -> float:
    """Sum ``name`` over every series whose labels include ``labels``."""
    found = 0.0
    for family in REGISTRY.collect():
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                found += sample.value
    return found


@pytest.fixture
def runtime(stores: Stores) -> Iterator[CommandRuntime]:
    app = faust.App("metrics-test", broker="kafka://127.0.0.1:1", autodiscover=False)
    commands = CommandRuntime(app, stores.handler(), threads=2, parallelism=2)
    commands.results = FlakyTopic(failures=0)  # type: ignore[assignment]
    commands.dead_letters = FlakyTopic(failures=0)  # type: ignore[assignment]
    commands.stopping = lambda: False
    try:
        yield commands
    finally:
        commands.shutdown()


def run(runtime: CommandRuntime, aggregate_type: str, commands: list[Command],
        age_s: float = 0.0) -> None:  # fmt: skip
    """Answer ``commands`` as one batch of records produced ``age_s`` ago."""
    sent = time.time() - age_s
    messages = [Message(encode(envelope(c)), offset=i, timestamp=sent)
                for i, c in enumerate(commands)]  # fmt: skip
    asyncio.run(runtime.process_batch(aggregate_type, messages))


def place(runtime: CommandRuntime, product: str, zone: str,
          condition: StorageCondition = StorageCondition.AMBIENT) -> str:  # fmt: skip
    """Create the product, warehouse and zone; return the inventory id."""
    run(runtime, "product", [create_product(product, condition)])
    run(runtime, "warehouse", [create_warehouse(zone[:3])])
    run(runtime, "warehouse-zone", [create_zone(zone)])
    return f"{product}@{zone}"


def test_an_answered_command_counts_once_with_its_latencies(runtime: CommandRuntime) -> None:
    labels = {"aggregate_type": "product", "command_type": "CreateProduct"}
    accepted = value("zaiko_commands_total", **labels, status="ACCEPTED", code="")
    timed = value("zaiko_command_outcome_seconds_count", **labels)
    waited = value("zaiko_command_outcome_seconds_sum", **labels)
    decided = value("zaiko_command_decide_seconds_count", aggregate_type="product")
    appended = value("zaiko_command_append_seconds_count", aggregate_type="product")
    run(runtime, "product", [create_product("PRD-700000")], age_s=2.0)
    assert value("zaiko_commands_total", **labels, status="ACCEPTED", code="") == accepted + 1
    assert value("zaiko_command_outcome_seconds_count", **labels) == timed + 1
    assert value("zaiko_command_outcome_seconds_sum", **labels) >= waited + 2.0
    assert value("zaiko_command_decide_seconds_count", aggregate_type="product") == decided + 1
    assert value("zaiko_command_append_seconds_count", aggregate_type="product") == appended + 1


def test_a_refusal_counts_under_its_rejection_code(runtime: CommandRuntime) -> None:
    inventory = place(runtime, "PRD-700001", f"{unique_warehouse()}-01")
    labels = {"aggregate_type": "inventory", "command_type": "IssueStock", "status": "REJECTED"}
    before = value("zaiko_commands_total", **labels, code="INSUFFICIENT_STOCK")
    run(runtime, "inventory", [CreateInventory(inventory), IssueStock(inventory, 5)])
    assert value("zaiko_commands_total", **labels, code="INSUFFICIENT_STOCK") == before + 1


def test_an_unreadable_message_counts_as_dead_lettered(runtime: CommandRuntime) -> None:
    dead = total("zaiko_commands_total", aggregate_type="product", status="DEAD_LETTERED")
    letters = total("zaiko_dead_letters_total", service="worker")
    asyncio.run(runtime.process_batch("product", [Message(b"")]))
    assert total("zaiko_commands_total", aggregate_type="product",
                 status="DEAD_LETTERED") == dead + 1  # fmt: skip
    assert value("zaiko_dead_letters_total", service="worker", reason="empty") >= 1
    assert total("zaiko_dead_letters_total", service="worker") == letters + 1


def test_movements_count_by_kind_and_warehouse_with_their_units(runtime: CommandRuntime) -> None:
    zone = f"{unique_warehouse()}-01"
    inventory, warehouse = place(runtime, "PRD-700002", zone), zone[:3]
    run(runtime, "inventory", [
        CreateInventory(inventory), ReceiveStock(inventory, 100), ReceiveStock(inventory, 20),
        IssueStock(inventory, 10), AdjustStock(inventory, -5, AdjustmentReason.DAMAGE),
        IssueStock(inventory, 1000),  # refused: moves nothing
    ])  # fmt: skip
    counts = {kind: value("zaiko_stock_movements_total", kind=kind, warehouse=warehouse)
              for kind in ("入庫", "出庫", "調整", "移動")}  # fmt: skip
    units = {kind: value("zaiko_stock_moved_units_total", kind=kind, warehouse=warehouse)
             for kind in ("入庫", "出庫", "調整")}  # fmt: skip
    assert counts == {"入庫": 2, "出庫": 1, "調整": 1, "移動": 0}
    assert units == {"入庫": 120, "出庫": 10, "調整": 5}


def test_reservations_count_success_and_failure_by_zone_type_and_condition(
    runtime: CommandRuntime,
) -> None:
    zone = f"{unique_warehouse()}-01"
    inventory, warehouse = place(runtime, "PRD-700003", zone), zone[:3]
    run(runtime, "inventory", [CreateInventory(inventory), ReceiveStock(inventory, 50)])
    runtime.handler.loader.cache.clear()  # as a worker that never loaded the zone or product
    run(runtime, "inventory", [
        ReserveStock(inventory, "R-1", 30), ReserveStock(inventory, "R-2", 30),
        ReserveStock(inventory, "R-3", 10),
    ])  # fmt: skip
    ambient = {"warehouse": warehouse, "zone": zone, "zone_type": "常温",
               "storage_condition": "常温"}  # fmt: skip
    assert value("zaiko_reservations_total", **ambient, outcome="success", code="") == 2
    failed = total("zaiko_reservations_total", **ambient, outcome="failure")
    assert failed == 1


def test_a_zone_refusing_a_storage_condition_counts_as_a_failed_reservation(
    runtime: CommandRuntime,
) -> None:
    zone = f"{unique_warehouse()}-01"
    chilled = place(runtime, "PRD-700004", zone, StorageCondition.CHILLED)
    run(runtime, "inventory", [CreateInventory(chilled)])
    labels: dict[str, Any] = {"warehouse": zone[:3], "zone": zone, "zone_type": "常温",
                              "storage_condition": "冷蔵", "outcome": "failure"}  # fmt: skip
    assert value("zaiko_reservations_total", **labels, code="STORAGE_CONDITION_VIOLATION") == 1


def test_a_transfer_counts_one_movement_on_its_out_leg(runtime: CommandRuntime) -> None:
    w = unique_warehouse()
    source = place(runtime, "PRD-700005", f"{w}-01")
    run(runtime, "warehouse-zone", [create_zone(f"{w}-02")])
    target = f"PRD-700005@{w}-02"
    run(runtime, "inventory", [CreateInventory(source), ReceiveStock(source, 40),
                               CreateInventory(target)])  # fmt: skip
    run(runtime, "inventory", [TransferStockOut(source, "T-1", target, 15)])
    labels = {"aggregate_type": "inventory", "command_type": "TransferStockIn", "code": ""}
    legs_in = value("zaiko_commands_total", **labels, status="ACCEPTED")
    run(runtime, "inventory", [TransferStockIn(target, "T-1", source, 15, out_sequence_nr=3)])
    assert value("zaiko_commands_total", **labels, status="ACCEPTED") == legs_in + 1
    assert value("zaiko_stock_movements_total", kind="移動", warehouse=w) == 1
    assert value("zaiko_stock_moved_units_total", kind="移動", warehouse=w) == 15
