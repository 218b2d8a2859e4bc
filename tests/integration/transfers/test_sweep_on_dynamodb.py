"""The worker's transfer sweep on DynamoDB: open transfers settled, journal history never read.

The worker is built in-process by ``streams.bootstrap`` (not started: no Kafka needed)
over a client that records every request, on a journal prefilled with history.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from rich.console import Console

from bench.journal_fill import fill_journal
from bench.recording import RecordingClient
from compose.transfers import list_open, run_reindex
from connectors.dynamodb.client import command_path_client, dynamodb_client
from connectors.dynamodb.tables import JOURNAL, OPEN_TRANSFERS
from connectors.open_transfers import DynamoDBOpenTransferIndex, OpenTransferIndex
from connectors.settings import ZaikoSettings
from domain import CreateInventory, ReceiveStock, StorageCondition
from domain.inventory.commands import TransferStockOut
from domain.message import Command
from streams.bootstrap import Worker, bootstrap
from streams.settings import WorkerSettings
from streams.transfers import Settlement
from tests.contract.open_transfer_index_contract import OpenTransferIndexContract
from tests.unit.streams.builders import (
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    unique_number,
    unique_warehouse,
)

pytestmark = pytest.mark.integration
HISTORY = 3_000  # journal items of other inventories, written before the test
OPEN = 5


@pytest.fixture(scope="module")
def history(settings: ZaikoSettings) -> ZaikoSettings:
    fill_journal(dynamodb_client(settings), JOURNAL.name(settings.table_prefix), HISTORY)
    return settings


@pytest.fixture
def worker(history: ZaikoSettings) -> Iterator[tuple[Worker, RecordingClient]]:
    client = RecordingClient(command_path_client(history))
    settings = WorkerSettings(
        kafka_bootstrap_servers=history.kafka_bootstrap_servers,
        dynamodb_endpoint_url=history.dynamodb_endpoint_url,
        table_prefix=history.table_prefix,
        app_id=f"zaiko-test-{uuid.uuid4().hex[:10]}",
        worker_web_port=0,
    )
    built = bootstrap(settings, client=client)
    try:
        yield built, client
    finally:
        built.runtime.shutdown()


class Site:
    """A stocked source and an empty destination in another warehouse, via the handler."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        product = f"PRD-{unique_number()}"
        home, away = unique_warehouse(), unique_warehouse()
        self.source, self.destination = f"{product}@{home}-01", f"{product}@{away}-01"
        self.run(create_product(product, StorageCondition.AMBIENT), create_warehouse(home),
                 create_warehouse(away), create_zone(f"{home}-01"), create_zone(f"{away}-01"),
                 CreateInventory(self.source), ReceiveStock(self.source, 100))  # fmt: skip

    def run(self, *commands: Command) -> None:
        for command in commands:
            outcome = self.worker.runtime.handler.handle(envelope(command))
            assert outcome.status == "ACCEPTED", outcome

    def open_transfers(self, count: int) -> list[str]:
        """Run step 1 of ``count`` transfers and nothing else (no agent runs here)."""
        ids = [f"SW-{uuid.uuid4().hex[:8]}" for _ in range(count)]
        self.run(*(TransferStockOut(self.source, tid, self.destination, 3) for tid in ids))
        return ids


def index_of(settings: ZaikoSettings) -> DynamoDBOpenTransferIndex:
    return DynamoDBOpenTransferIndex(
        dynamodb_client(settings), OPEN_TRANSFERS.name(settings.table_prefix)
    )


def test_the_sweep_settles_open_transfers_without_reading_the_journal_history(
    worker: tuple[Worker, RecordingClient], history: ZaikoSettings
) -> None:
    built, client = worker
    site = Site(built)
    opened = site.open_transfers(OPEN)
    journal, index = (spec.name(history.table_prefix) for spec in (JOURNAL, OPEN_TRANSFERS))
    built.sweep.grace_s = 0.0  # every entry is due now
    client.clear()

    drives = built.sweep()

    assert sorted(d.transfer.transfer_id for d in drives if d.transfer.source == site.source) == (
        sorted(opened)
    )
    assert {d.settlement for d in drives} == {Settlement.COMPLETED}
    requests = client.counts()
    assert requests[("scan", journal)] == 0 and requests[("query", journal)] == 0
    assert requests[("scan", index)] == 1  # the whole index, in one page
    assert [e for e in index_of(history).entries() if e.source == site.source] == []

    client.clear()
    built.sweep()
    assert client.counts() == {("scan", index): 1}  # nothing open: one Scan of a small table


def test_reindex_indexes_transfers_the_index_lacks_and_open_lists_them(
    worker: tuple[Worker, RecordingClient], history: ZaikoSettings
) -> None:
    built, _ = worker
    site = Site(built)
    opened = site.open_transfers(2)
    index = index_of(history)
    for tid in opened:  # as if opened before the index existed
        assert index.close(site.source, tid)

    assert run_reindex(history, segments=4, console=Console(quiet=True)) >= 2
    listed = [t for t in list_open(history) if t.source == site.source]
    assert sorted(t.transfer_id for t in listed) == sorted(opened)
    assert all(t.pending and t.destination == site.destination and t.quantity == 3
               for t in listed)  # fmt: skip

    built.sweep.grace_s = 0.0
    built.sweep()
    assert [t for t in list_open(history) if t.source == site.source] == []


@pytest.fixture(scope="module")
def index_table(settings: ZaikoSettings) -> str:
    """An open-transfers table of the contract tests' own (they leave entries behind)."""
    prefix = f"ix{uuid.uuid4().hex[:8]}-"
    client = dynamodb_client(settings)
    client.create_table(**OPEN_TRANSFERS.create_kwargs(prefix))
    client.get_waiter("table_exists").wait(TableName=OPEN_TRANSFERS.name(prefix))
    return OPEN_TRANSFERS.name(prefix)


@pytest.fixture(scope="module", params=["boto3", "wire"])
def index_client(request: pytest.FixtureRequest, settings: ZaikoSettings) -> Any:
    if request.param == "boto3":
        return dynamodb_client(settings)
    return command_path_client(settings)


class TestDynamoDBOpenTransferIndex(OpenTransferIndexContract):
    @pytest.fixture(autouse=True)
    def _bind(self, index_client: Any, index_table: str) -> None:
        self.client, self.table = index_client, index_table

    def make_index(self) -> OpenTransferIndex:
        return DynamoDBOpenTransferIndex(self.client, self.table)
