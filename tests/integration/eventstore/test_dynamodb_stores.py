"""The store contracts, run against the DynamoDB adapters on a moto server.

Every test runs with both clients: boto3's, and the wire client of the command path.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from connectors.dynamodb.client import command_path_client, dynamodb_client
from connectors.dynamodb.wire import WireClient
from connectors.eventstore import EventStoreError, NewEvent
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
