"""Bring a stack's tables to D商事's size quickly, and read the embedded DynamoDB's CPU time.

``zaiko bench commands --prefill N`` measures on a fresh stack, then writes ``N``
journal entries and ``N`` outcomes (what the worker writes per accepted command; a
snapshot only every 100 events, so none here) with BatchWriteItem, then measures
again. The entries belong to inventories no other table knows (``bench.journal_fill``),
spread over 16,000 of them (D商事: ~8,000 SKUs in two or three warehouses each).

The machine is shared, so the embedded DynamoDB's CPU time per request is printed next
to the rates: a steadier measure of what a request costs it than requests per second.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import psutil

from bench.journal_fill import BATCH, journal_items
from connectors.dynamodb.tables import JOURNAL, OUTCOMES
from connectors.eventstore.items import Item, outcome_to_item
from connectors.eventstore.port import CommandOutcome

DSHOJI_INVENTORIES = 16_000


def outcome_items(count: int) -> Iterator[Item]:
    """Yield ``count`` outcomes-table items, one accepted receipt each."""
    now_ms = round(time.time() * 1000)
    for n in range(count):
        yield outcome_to_item(CommandOutcome(
            command_id=f"fill-{uuid.uuid4().hex}", aggregate_id=f"PRD-{900_000 + n}@ZZZ-01",
            aggregate_type="inventory", status="ACCEPTED", version=1,
            event_types=("StockReceived_V1",), error_code=None, message=None,
            recorded_at_ms=now_ms, fingerprint=uuid.uuid4().hex))  # fmt: skip


def write_all(client: Any, table: str, items: Iterable[Item]) -> None:
    """Write ``items`` with BatchWriteItem, 25 at a time, resending unprocessed ones."""
    batch: list[Any] = []
    for item in items:
        batch.append({"PutRequest": {"Item": item}})
        if len(batch) == BATCH:
            _write(client, table, batch)
            batch = []
    if batch:
        _write(client, table, batch)


def _write(client: Any, table: str, requests: list[Any]) -> None:
    while requests:
        answer = client.batch_write_item(RequestItems={table: requests})
        requests = answer.get("UnprocessedItems", {}).get(table, [])


def prefill(client: Any, prefix: str, count: int) -> float:
    """Write ``count`` journal entries and ``count`` outcomes; return the seconds taken."""
    started = time.monotonic()
    write_all(client, JOURNAL.name(prefix), journal_items(count, DSHOJI_INVENTORIES))
    write_all(client, OUTCOMES.name(prefix), outcome_items(count))
    return time.monotonic() - started


def server_process(endpoint_url: str | None) -> psutil.Process | None:
    """Return the local process listening on the endpoint's port (None: not found here)."""
    if not endpoint_url:
        return None
    parts = urlsplit(endpoint_url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1") or parts.port is None:
        return None
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == parts.port:
                return psutil.Process(conn.pid) if conn.pid else None
    except (psutil.AccessDenied, psutil.NoSuchProcess):
        return None
    return None


def cpu_s(process: psutil.Process | None) -> float | None:
    """Return the process's user + system CPU seconds so far (None: unknown)."""
    if process is None:
        return None
    try:
        times = process.cpu_times()
    except (psutil.AccessDenied, psutil.NoSuchProcess):
        return None
    return float(times.user + times.system)
