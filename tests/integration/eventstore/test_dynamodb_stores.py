"""The store contracts, run against the DynamoDB adapters on a moto server."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from connectors.dynamodb.client import dynamodb_client
from connectors.eventstore import EventStoreError, NewEvent
from connectors.eventstore.wiring import DynamoDBStores, build_stores
from connectors.settings import ZaikoSettings
from tests.contract.event_store_contract import EventStoreContract
from tests.contract.outcome_store_contract import OutcomeStoreContract
from tests.contract.snapshot_store_contract import SnapshotStoreContract

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stores(dynamodb_settings: ZaikoSettings) -> DynamoDBStores:
    return build_stores(dynamodb_client(dynamodb_settings), dynamodb_settings.table_prefix)


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


def test_driver_errors_surface_as_event_store_errors(dynamodb_settings: ZaikoSettings) -> None:
    store = build_stores(dynamodb_client(dynamodb_settings), "no-such-prefix-").events
    with pytest.raises(EventStoreError) as caught:
        store.append("inv-1", "Inventory", 0, [NewEvent("e", "A", b"", 0)], "cmd", "corr")
    assert isinstance(caught.value.__cause__, ClientError)
    with pytest.raises(EventStoreError):
        store.version("inv-1")
