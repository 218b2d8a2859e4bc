"""The journal's epoch is new whenever the journal table is created, and kept otherwise."""

from __future__ import annotations

import uuid

import pytest

from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.epoch import read_epoch
from connectors.dynamodb.tables import JOURNAL, ensure_tables

pytestmark = pytest.mark.integration


def test_a_new_journal_table_starts_a_new_epoch_and_an_existing_one_keeps_it(
    stack: Stack,
) -> None:
    prefix = f"zaiko-epoch-{uuid.uuid4().hex[:8]}-"
    client = dynamodb_client(stack.settings.model_copy(update={"table_prefix": prefix}))
    assert read_epoch(client, prefix) is None
    ensure_tables(client, prefix)
    first = read_epoch(client, prefix)
    assert first is not None
    ensure_tables(client, prefix)
    assert read_epoch(client, prefix) == first
    client.delete_table(TableName=JOURNAL.name(prefix))
    client.get_waiter("table_not_exists").wait(TableName=JOURNAL.name(prefix))
    ensure_tables(client, prefix)
    second = read_epoch(client, prefix)
    assert second is not None and second != first
