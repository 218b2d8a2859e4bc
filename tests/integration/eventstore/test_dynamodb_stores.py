"""The store contracts, run against the DynamoDB adapters on a moto server.

Every test runs with both clients: boto3's, and the wire client of the command path.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

from connectors.dynamodb.client import command_path_client, dynamodb_client
from connectors.dynamodb.tables import JOURNAL
from connectors.dynamodb.wire import WireClient
from connectors.eventstore import EventStoreError, NewEvent, UnreadableItemError
from connectors.eventstore.dynamodb_store import DynamoDBEventStore
from connectors.eventstore.wiring import DynamoDBStores, build_stores
from connectors.settings import ZaikoSettings
from tests.contract.event_store_contract import EventStoreContract
from tests.contract.outcome_store_contract import OutcomeStoreContract
from tests.contract.snapshot_store_contract import SnapshotStoreContract

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", params=["boto3", "wire"])
def client(request: pytest.FixtureRequest, dynamodb_settings: ZaikoSettings) -> Any:
    if request.param == "boto3":
        return dynamodb_client(dynamodb_settings)
    wire = command_path_client(dynamodb_settings)
    assert isinstance(wire, WireClient)
    return wire


@pytest.fixture(scope="module")
def stores(client: Any, dynamodb_settings: ZaikoSettings) -> DynamoDBStores:
    return build_stores(client, dynamodb_settings.table_prefix)


class _WithStores:
    stores: DynamoDBStores

    @pytest.fixture(autouse=True)
    def _bind(self, stores: DynamoDBStores) -> None:
        self.stores = stores


class TestDynamoDBEventStore(_WithStores, EventStoreContract):
    def make_store(self) -> Any:
        return self.stores.events


class CountingClient:
    """A client that counts the operations the store asks of it."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.calls = inner, Counter[str]()

    def __getattr__(self, name: str) -> Any:
        self.calls[name] += 1
        return getattr(self.inner, name)


def test_events_from_any_position_are_read_by_keys_never_by_a_query(
    client: Any, dynamodb_settings: ZaikoSettings
) -> None:
    counting = CountingClient(client)
    store = DynamoDBEventStore(counting, JOURNAL.name(dynamodb_settings.table_prefix))
    agg, version = f"INV-{uuid.uuid4().hex[:8]}", 0
    for size in (2, 1, 3, 1, 1, 4):
        new = [NewEvent(str(uuid.uuid4()), "E", b"x", 0) for _ in range(size)]
        version = store.append(agg, "Inventory", version, new, f"c{version}", "corr").last_seq_nr
    counting.calls.clear()
    for after in range(version + 2):  # boundaries, inside entries, the head, beyond it
        assert [e.seq_nr for e in store.load_events(agg, after)] == list(range(after + 1, 13))
    assert counting.calls["query"] == 0, counting.calls
    long = f"INV-{uuid.uuid4().hex[:8]}"  # one entry of 150 events: its key is far below
    store.append(
        long,
        "Inventory",
        0,
        [NewEvent(str(uuid.uuid4()), "E", b"x", 0) for _ in range(150)],
        "c",
        "c",
    )
    assert [e.seq_nr for e in store.load_events(long, 120)] == list(range(121, 151))


def test_an_unreadable_item_below_the_position_is_never_read(
    client: Any, dynamodb_settings: ZaikoSettings
) -> None:
    table = JOURNAL.name(dynamodb_settings.table_prefix)
    store, agg = DynamoDBEventStore(client, table), f"INV-{uuid.uuid4().hex[:8]}"
    client.put_item(TableName=table, Item={"aggregate_id": {"S": agg}, "seq_nr": {"N": "1"}})
    new = [NewEvent(str(uuid.uuid4()), "E", b"x", 0) for _ in range(3)]
    store.append(agg, "Inventory", 1, new, "c2", "corr")  # entry 2..4 after the junk
    assert [e.seq_nr for e in store.load_events(agg, 2)] == [3, 4]
    assert [e.seq_nr for e in store.load_events(agg, 1)] == [2, 3, 4]
    with pytest.raises(UnreadableItemError, match=f"{agg}/1"):
        store.load_events(agg, 0)


class TestDynamoDBOutcomeStore(_WithStores, OutcomeStoreContract):
    def make_outcomes(self) -> Any:
        return self.stores.outcomes


class TestDynamoDBSnapshotStore(_WithStores, SnapshotStoreContract):
    def make_snapshots(self) -> Any:
        return self.stores.snapshots


def test_driver_errors_surface_as_event_store_errors(client: Any) -> None:
    store = build_stores(client, "no-such-prefix-").events
    with pytest.raises(EventStoreError) as caught:
        store.append("inv-1", "Inventory", 0, [NewEvent("e", "A", b"", 0)], "cmd", "corr")
    assert isinstance(caught.value.__cause__, ClientError)
    with pytest.raises(EventStoreError):
        store.version("inv-1")
