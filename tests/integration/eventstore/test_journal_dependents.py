"""Snapshots, outcomes and open transfers start over with the journal they describe.

Only the journal table is created again (deleted by hand, a partial restore): a cold
load must not start from the old journal's snapshot and append after it, a resent
command must not be answered by an outcome the new journal never applied, and the
sweep must not find the old journal's open transfers.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.epoch import read_epoch
from connectors.dynamodb.tables import JOURNAL, OPEN_TRANSFERS, ensure_tables
from connectors.eventstore.wiring import DynamoDBStores, build_stores
from connectors.open_transfers import DynamoDBOpenTransferIndex, OpenTransfer
from domain import UpdateProduct
from streams.handling import CommandHandler, HandlerConfig
from tests.unit.streams.builders import create_product, envelope, unique_number

pytestmark = pytest.mark.integration
SNAPSHOT_EVERY = 2


def _handler(stores: DynamoDBStores) -> CommandHandler:
    """A worker's handler with an empty cache (a new worker, or one whose cache was dropped)."""
    config = HandlerConfig(snapshot_every=SNAPSHOT_EVERY)
    return CommandHandler(stores.events, stores.outcomes, stores.snapshots, config)


def _tables(stack: Stack) -> tuple[Any, str]:
    prefix = f"zaiko-dep-{uuid.uuid4().hex[:8]}-"
    client = dynamodb_client(stack.settings.model_copy(update={"table_prefix": prefix}))
    ensure_tables(client, prefix)
    return client, prefix


def _history(handler: CommandHandler, product_id: str) -> Any:
    """Create the product and update it past a snapshot; return the creation's envelope."""
    created = envelope(create_product(product_id))
    assert handler.handle(created).status == "ACCEPTED"
    for n in range(SNAPSHOT_EVERY):
        assert handler.handle(envelope(UpdateProduct(product_id, name=f"醤油 {n}"))).version
    return created


def _open_transfer(index: DynamoDBOpenTransferIndex) -> OpenTransfer:
    number = unique_number()
    entry = OpenTransfer(f"PRD-{number}@TKY-01", "T-1", f"PRD-{number}@OSK-01", 5, 1, 1)
    index.open(entry)
    return entry


def test_a_new_journal_table_empties_what_described_the_old_one(stack: Stack) -> None:
    client, prefix = _tables(stack)
    stores = build_stores(client, prefix)
    index = DynamoDBOpenTransferIndex(client, OPEN_TRANSFERS.name(prefix))
    first, second = f"PRD-{unique_number()}", f"PRD-{unique_number()}"
    handler = _handler(stores)
    created = _history(handler, first)
    _history(handler, second)
    _open_transfer(index)
    assert stores.snapshots.latest(second) is not None
    assert stores.outcomes.find_outcome(created.meta.command_id) is not None
    epoch = read_epoch(client, prefix)

    client.delete_table(TableName=JOURNAL.name(prefix))
    client.get_waiter("table_not_exists").wait(TableName=JOURNAL.name(prefix))
    ensure_tables(client, prefix)
    assert read_epoch(client, prefix) not in (None, epoch)

    fresh = _handler(stores)
    again = fresh.handle(created)  # the resent creation is decided on the empty journal
    assert (again.status, again.version) == ("ACCEPTED", 1)
    assert stores.events.version(first) == 1
    update = fresh.handle(envelope(UpdateProduct(second, name="醤油 new")))
    assert (update.status, update.error_code) == ("REJECTED", "NOT_FOUND")
    assert stores.events.version(second) == 0, "appended after the old journal's snapshot"
    assert stores.snapshots.latest(second) is None
    assert list(index.entries()) == []


def test_an_existing_journal_keeps_its_snapshots_outcomes_and_open_transfers(
    stack: Stack,
) -> None:
    client, prefix = _tables(stack)
    stores = build_stores(client, prefix)
    index = DynamoDBOpenTransferIndex(client, OPEN_TRANSFERS.name(prefix))
    product = f"PRD-{unique_number()}"
    created = _history(_handler(stores), product)
    entry = _open_transfer(index)

    assert ensure_tables(client, prefix) == []
    assert stores.snapshots.latest(product) is not None
    assert stores.outcomes.find_outcome(created.meta.command_id) is not None
    assert [e.key for e in index.entries()] == [entry.key]
