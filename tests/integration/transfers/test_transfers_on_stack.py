"""Transfers through Kafka, the worker, DynamoDB and the bridge: settled, units conserved."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import OPEN_TRANSFERS
from connectors.eventstore.wiring import DynamoDBStores
from connectors.open_transfers import DynamoDBOpenTransferIndex
from connectors.settings import ZaikoSettings
from domain import CreateInventory, ReceiveStock, StorageCondition, ZoneType
from domain.enums import TransferDirection
from domain.inventory.commands import TransferStockOut
from schemas import decode_event
from streams.transfers.steps import step_id
from tests.integration.notifications.reading import Notifications
from tests.integration.streams.journal import folded
from tests.integration.streams.kafka_io import TopicReader, collect_outcomes, send_commands
from tests.integration.streams.worker_process import WorkerProcess
from tests.integration.transfers.conftest import Bridge, wait_until
from tests.unit.streams.builders import (
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    unique_number,
    unique_warehouse,
)

pytestmark = pytest.mark.integration
RECEIVED = 100


class Site:
    """One product stocked in an ambient zone, with an ambient and a chilled zone elsewhere."""

    def __init__(self, bootstrap: str, results: TopicReader) -> None:
        self.bootstrap, self.results = bootstrap, results
        self.product = f"PRD-{unique_number()}"
        home, away = unique_warehouse(), unique_warehouse()
        self.source = f"{self.product}@{home}-01"
        self.ambient = f"{self.product}@{away}-01"
        self.chilled = f"{self.product}@{away}-02"
        chilled_zone = create_zone(f"{away}-02", ZoneType.CHILLED)
        self.run([create_product(self.product, StorageCondition.AMBIENT),
                  create_warehouse(home), create_warehouse(away), create_zone(f"{home}-01"),
                  create_zone(f"{away}-01"), chilled_zone])  # fmt: skip
        self.run([CreateInventory(self.source)])
        self.run([ReceiveStock(self.source, RECEIVED)])

    def run(self, commands: list[Any]) -> None:
        sent = [envelope(c) for c in commands]
        send_commands(self.bootstrap, sent)
        found = collect_outcomes(self.results, {e.meta.command_id for e in sent}, 60)
        assert all(v and v[0].status == "ACCEPTED" for v in found.values()), found

    def transfer(self, transfer_id: str, to: str, quantity: int) -> None:
        send_commands(
            self.bootstrap, [envelope(TransferStockOut(self.source, transfer_id, to, quantity))]
        )


def legs(stores: DynamoDBStores, inventory_id: str, transfer_id: str) -> list[str]:
    """Return the transfer's events in an inventory's journal: OUT, IN, RETURN or COMPLETED."""
    found = []
    for stored in stores.events.load_events(inventory_id):
        event = decode_event(stored.payload, upcast=False).event
        if getattr(event, "transfer_id", None) != transfer_id:
            continue
        direction = getattr(event, "direction", None)
        found.append(direction.value if direction else type(event).__name__)
    return found


def out_seq(stores: DynamoDBStores, inventory_id: str, transfer_id: str) -> int:
    """Return the sequence number of the transfer's OUT leg: its name, with source and id."""
    for stored in stores.events.load_events(inventory_id):
        event = decode_event(stored.payload, upcast=False).event
        if getattr(event, "transfer_id", None) == transfer_id and (
            getattr(event, "direction", None) is TransferDirection.OUT
        ):
            return stored.seq_nr
    raise AssertionError(f"no OUT leg of {transfer_id} on {inventory_id}")


def settled(stores: DynamoDBStores, site: Site, transfer_id: str) -> bool:
    tail = legs(stores, site.source, transfer_id)[-1:]
    return tail in (["TransferCompleted_V1"], [TransferDirection.RETURN.value])


def open_entries(settings: ZaikoSettings, site: Site) -> list[str]:
    """Return the transfer ids of the site's source that the open-transfers index holds."""
    index = DynamoDBOpenTransferIndex(
        dynamodb_client(settings), OPEN_TRANSFERS.name(settings.table_prefix)
    )
    return [e.transfer_id for e in index.entries() if e.source == site.source]


def total(stores: DynamoDBStores, site: Site) -> int:
    """Σ on hand over the three inventories + Σ pending outbound (all settled: none)."""
    states = [
        folded(stores.events, "inventory", i) for i in (site.source, site.ambient, site.chilled)
    ]
    return sum(getattr(s, "on_hand", 0) + getattr(s, "pending_outbound", 0) for s in states)


@pytest.fixture
def site(worker: WorkerProcess, bootstrap: str, results: TopicReader) -> Site:
    return Site(bootstrap, results)


def test_a_transfer_between_warehouses_completes(
    site: Site, stores: DynamoDBStores, results: TopicReader, settings: ZaikoSettings
) -> None:
    ok = f"IT-OK-{site.product}"
    site.transfer(ok, site.ambient, 30)
    wait_until(lambda: settled(stores, site, ok), 60, "the transfer to settle")
    assert legs(stores, site.source, ok) == ["OUT", "TransferCompleted_V1"]
    assert legs(stores, site.ambient, ok) == ["IN"]
    assert folded(stores.events, "inventory", site.ambient).on_hand == 30
    assert total(stores, site) == RECEIVED
    seq = out_seq(stores, site.source, ok)
    steps = {step_id(site.source, ok, seq, "in"), step_id(site.source, ok, seq, "complete")}
    found = collect_outcomes(results, steps, 30)
    assert all(v and v[0].status == "ACCEPTED" for v in found.values()), found
    wait_until(lambda: open_entries(settings, site) == [], 30, "the entry to leave the index")


def test_a_transfer_into_a_chilled_zone_is_compensated(site: Site, stores: DynamoDBStores) -> None:
    chill = f"IT-CHILL-{site.product}"
    site.transfer(chill, site.chilled, 40)
    wait_until(lambda: settled(stores, site, chill), 60, "the transfer to settle")
    assert legs(stores, site.source, chill) == ["OUT", "RETURN"]
    assert folded(stores.events, "inventory", site.source).on_hand == RECEIVED
    assert total(stores, site) == RECEIVED
    notifications = Notifications(site.bootstrap)  # the refused IN leg is an 引当失敗
    try:
        [raised] = notifications.wait_for(site.chilled, ["RAISED"], 30, "ALLOCATION_FAILED")
    finally:
        notifications.close()
    assert (raised.code, raised.zone_id) == (
        "STORAGE_CONDITION_VIOLATION",
        site.chilled.split("@")[1],
    )


def test_a_worker_killed_between_the_steps_settles_the_transfer_after_restart(
    site: Site,
    stores: DynamoDBStores,
    worker: WorkerProcess,
    bridge: Bridge,
    settings: ZaikoSettings,
) -> None:
    kill = f"IT-KILL-{site.product}"
    bridge.stop()  # hold the OUT event back, so the kill surely falls before step 2
    try:
        site.transfer(kill, site.ambient, 25)
        wait_until(lambda: legs(stores, site.source, kill) == ["OUT"], 60, "the OUT leg")
        worker.kill9()
        assert open_entries(settings, site) == [kill]  # written before the OUT leg
    finally:
        bridge.start()
    assert legs(stores, site.ambient, kill) == []  # nothing happened after the OUT
    worker.start()
    wait_until(lambda: settled(stores, site, kill), 90, "the transfer to settle")
    assert legs(stores, site.source, kill) == ["OUT", "TransferCompleted_V1"]
    assert legs(stores, site.ambient, kill) == ["IN"]
    assert total(stores, site) == RECEIVED
    wait_until(lambda: open_entries(settings, site) == [], 30, "the entry to leave the index")
