"""A worker with a warm cache never appends after a predecessor the journal no longer has.

The journal starts over under a running worker (its table deleted and created again:
a new epoch, as when the embedded DynamoDB restarts empty). The next command on an
aggregate the worker had cached at version N is decided on the empty journal, and
nothing is ever written at N + 1; while the tables are gone, no command is answered.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import CHECKPOINTS, JOURNAL, ensure_tables
from connectors.eventstore.wiring import build_stores
from domain import UpdateProduct
from tests.integration.streams.kafka_io import TopicReader, collect_outcomes, send_commands
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.streams.builders import create_product, envelope, unique_number

pytestmark = pytest.mark.integration
WARM_VERSION = 3


def _drop(client: Any, *tables: str) -> None:
    for table in tables:
        client.delete_table(TableName=table)
    for table in tables:
        client.get_waiter("table_not_exists").wait(TableName=table)


def _answer(bootstrap: str, results: TopicReader, command: Any, timeout_s: float = 60) -> Any:
    sent = envelope(command)
    send_commands(bootstrap, [sent])
    (outcome,) = collect_outcomes(results, {sent.meta.command_id}, timeout_s)[sent.meta.command_id]
    return outcome


def _warm(bootstrap: str, results: TopicReader, product_id: str) -> None:
    """Create the product and update it until the worker caches it at ``WARM_VERSION``."""
    assert _answer(bootstrap, results, create_product(product_id)).version == 1
    for n in range(2, WARM_VERSION + 1):
        outcome = _answer(bootstrap, results, UpdateProduct(product_id, name=f"醤油 {n}"))
        assert (outcome.status, outcome.version) == ("ACCEPTED", n)


def test_a_warm_worker_decides_on_the_new_journal_and_holds_commands_while_it_is_gone(
    stack: Stack, run_dir: Path, bootstrap: str, results: TopicReader
) -> None:
    prefix = f"zaiko-so-{uuid.uuid4().hex[:8]}-"
    settings = stack.settings.model_copy(update={"table_prefix": prefix})
    client = dynamodb_client(settings)
    ensure_tables(client, prefix)
    events = build_stores(client, prefix).events
    journal, checkpoints = JOURNAL.name(prefix), CHECKPOINTS.name(prefix)
    first, second = f"PRD-{unique_number()}", f"PRD-{unique_number()}"
    worker = WorkerProcess(settings, run_dir)
    try:
        worker.start()
        _warm(bootstrap, results, first)
        _warm(bootstrap, results, second)

        # 1. the journal table starts over: a new epoch
        _drop(client, journal)
        ensure_tables(client, prefix)
        outcome = _answer(bootstrap, results, UpdateProduct(first, name="醤油 new"))
        assert outcome.status == "REJECTED", "decided on the cached version, not the journal"
        assert events.version(first) == 0

        # 2. the whole DynamoDB is gone (no epoch): commands wait, unanswered
        _drop(client, journal, checkpoints)
        held = envelope(UpdateProduct(second, name="醤油 held"))
        send_commands(bootstrap, [held])
        early = collect_outcomes(results, {held.meta.command_id}, timeout_s=8)
        assert early[held.meta.command_id] == [], "answered while the journal was gone"
        ensure_tables(client, prefix)
        late = collect_outcomes(results, {held.meta.command_id}, timeout_s=60)
        (answer,) = late[held.meta.command_id]
        assert answer.status == "REJECTED" and events.version(second) == 0

        recreated = _answer(bootstrap, results, create_product(first))
        assert (recreated.status, recreated.version) == ("ACCEPTED", 1)
    finally:
        worker.stop()
    for product in (first, second):
        key = {"aggregate_id": {"S": product}, "seq_nr": {"N": str(WARM_VERSION + 1)}}
        assert "Item" not in client.get_item(TableName=journal, Key=key, ConsistentRead=True)
    assert [e.seq_nr for e in events.load_events(first)] == [1]
    assert "journal epoch" in worker.log_file.read_text()
