"""A worker restarted with the state table answers from it; a stale entry is still caught.

The worker (``ZAIKO_STATE_TABLE=true``) warms eight inventories and stops; behind its
back the journal of two of them moves on. Restarted (same app id, so same changelog),
it reads fewer journal keys for a warm inventory than a worker without the table, and
answers the moved ones as the journal says, not as its table says.
"""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from compose.stack import Stack
from connectors.eventstore.wiring import DynamoDBStores
from domain import CreateInventory, IssueStock, ReceiveStock
from streams.handling import CommandHandler
from tests.integration.streams.kafka_io import TopicReader, collect_outcomes, send_commands
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.streams.builders import (
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    unique_number,
    unique_warehouse,
)

pytestmark = pytest.mark.integration
KEY_READS = ("GetItem", "BatchGetItem")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def metric(port: int, name: str, **labels: str) -> float:
    """Return the sum of the worker's samples ``name`` whose labels include ``labels``."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples
               if s.name == name and labels.items() <= s.labels.items())  # fmt: skip


def key_reads(port: int) -> float:
    return sum(metric(port, "zaiko_dynamodb_requests_total", operation=op) for op in KEY_READS)


def answer(bootstrap: str, results: TopicReader, *commands: Any) -> list[Any]:
    sent = [envelope(c) for c in commands]
    send_commands(bootstrap, sent)
    done = collect_outcomes(results, {e.meta.command_id for e in sent}, 90)
    return [done[e.meta.command_id][0] for e in sent]


def start(stack: Stack, run_dir: Path, app_id: str, table: bool) -> tuple[WorkerProcess, int]:
    port = free_port()
    env = {"ZAIKO_STATE_TABLE": str(table).lower(), "ZAIKO_METRICS_PORT": str(port)}
    return WorkerProcess(stack.settings, run_dir, app_id, extra_env=env).start(90), port


def test_a_restarted_worker_answers_from_the_table_and_catches_stale_entries(
    stack: Stack, run_dir: Path, bootstrap: str, results: TopicReader, stores: DynamoDBStores
) -> None:
    n, w = unique_number(), unique_warehouse()
    zone, app_id = f"{w}-01", f"zaiko-test-table-{n}"
    # three warm and three cold inventories: one command's reads differ by one key at most
    # (a confirmation against two cold reads), which the batch's own reads can blur
    invs = tuple(f"PRD-{n + i}@{zone}" for i in range(8))
    warm, cold, (grown, emptied) = invs[0:3], invs[3:6], invs[6:8]
    worker, _ = start(stack, run_dir, app_id, table=True)
    try:
        setup = [create_warehouse(w), create_zone(zone)]
        setup += [create_product(f"PRD-{n + i}") for i in range(8)]
        assert {o.status for o in answer(bootstrap, results, *setup)} == {"ACCEPTED"}
        assert {o.status for o in answer(bootstrap, results, *map(CreateInventory, invs))} == {
            "ACCEPTED"
        }
        receipts = answer(bootstrap, results, *(ReceiveStock(i, 100) for i in invs))
        assert {(o.status, o.version) for o in receipts} == {("ACCEPTED", 2)}
    finally:
        worker.stop()
    elsewhere = CommandHandler(stores.events, stores.outcomes, stores.snapshots)
    assert elsewhere.handle(envelope(ReceiveStock(grown, 100))).version == 3  # stock 200
    assert elsewhere.handle(envelope(IssueStock(emptied, 100))).version == 3  # stock 0

    worker, port = start(stack, run_dir, app_id, table=True)
    try:
        before = key_reads(port)
        issued = answer(bootstrap, results, *(IssueStock(i, 30) for i in warm))
        with_table = key_reads(port) - before
        assert {(o.status, o.version) for o in issued} == {("ACCEPTED", 3)}
        assert metric(port, "zaiko_state_table_reads_total", result="hit") >= 1
        more, less = answer(bootstrap, results, IssueStock(grown, 150), IssueStock(emptied, 30))
        assert (more.status, more.version) == ("ACCEPTED", 4)  # the table said 100: refused
        assert (less.status, less.error_code) == ("REJECTED", "INSUFFICIENT_STOCK")
        assert stores.events.version(emptied) == 3  # nothing appended on the table's 100
    finally:
        worker.stop()

    worker, port = start(stack, run_dir, app_id, table=False)
    try:
        before = key_reads(port)
        issued = answer(bootstrap, results, *(IssueStock(i, 30) for i in cold))
        without_table = key_reads(port) - before
        assert {(o.status, o.version) for o in issued} == {("ACCEPTED", 3)}
    finally:
        worker.stop()
    assert with_table < without_table, (with_table, without_table)
