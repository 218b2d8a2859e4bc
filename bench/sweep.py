"""``zaiko bench sweep``: the transfer sweep at D商事's journal size, and commands meanwhile.

Needs the embedded DynamoDB (``zaiko stack up``); works on throwaway tables of its own
(a fresh prefix, deleted afterwards). Fills the journal with ``journal`` realistic items
(BatchWriteItem), then, while a paced stream of ReceiveStock commands runs through the
worker's command handler in another thread (the latency the embedded DynamoDB gives a
command), measures:
- the sweep over the open-transfers index with ``open`` transfers left open, and empty;
- for comparison, the journal sweep it replaces (Scan pages of 100 items, filtered to
  inventories): ``legacy_pages`` pages, and the whole pass extrapolated from them;
- with ``reindex``, one ``zaiko transfers reindex`` pass (on demand, for upgrades).
"""

from __future__ import annotations

import math
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.command_stream import handle, paced_stream
from bench.journal_fill import fill_journal
from bench.recording import RecordingClient
from connectors.dynamodb.client import command_path_client
from connectors.dynamodb.tables import ALL_TABLES, JOURNAL, OPEN_TRANSFERS, ensure_tables
from connectors.eventstore.wiring import build_stores
from connectors.journal_scan import scan_entries
from connectors.open_transfers import DynamoDBOpenTransferIndex
from connectors.settings import ZaikoSettings
from domain import (
    CreateInventory,
    CreateProduct,
    CreateWarehouse,
    CreateZone,
    ReceiveStock,
)
from domain.enums import Category, StorageCondition, ZoneType
from domain.inventory.commands import TransferStockOut
from domain.message import Command
from streams.handling import CommandHandler
from streams.transfers import IntentRecordingStore, Sweep, TransferManager
from streams.transfers.reindex import reindex

RECEIVERS = 20  # inventories the command stream spreads its receipts over
OLD_SWEEP = "old journal sweep"
REINDEX = "reindex"


@dataclass
class Figures:
    journal_items: int
    fill_s: float
    sweep_ms: list[float] = field(default_factory=list)  # with transfers open, all due
    not_due_sweep_ms: list[float] = field(default_factory=list)  # open, in their grace period
    empty_sweep_ms: list[float] = field(default_factory=list)
    sweep_requests: dict[str, int] = field(default_factory=dict)
    legacy_page_ms: list[float] = field(default_factory=list)
    reindex_s: float | None = None
    latency_ms: dict[str, list[float]] = field(default_factory=dict)  # phase -> commands

    @property
    def legacy_total_s(self) -> float:
        """The whole journal sweep, extrapolated from the pages measured."""
        pages = math.ceil(self.journal_items / 100)
        return statistics.median(self.legacy_page_ms) * pages / 1000 if self.legacy_page_ms else 0


def run(settings: ZaikoSettings, journal: int, open_count: int, runs: int, rate: float,
        legacy_pages: int, with_reindex: bool) -> Figures:  # fmt: skip
    """Run the bench on throwaway tables and return its figures."""
    prefix = f"bench-sweep-{uuid.uuid4().hex[:8]}-"
    raw = command_path_client(settings)
    ensure_tables(raw, prefix)
    try:
        figures = Figures(journal, fill_journal(raw, JOURNAL.name(prefix), journal))
        client = RecordingClient(raw)
        stores = build_stores(client, prefix)
        index = DynamoDBOpenTransferIndex(client, OPEN_TRANSFERS.name(prefix))
        events = IntentRecordingStore(stores.events, index)
        handler = CommandHandler(events, stores.outcomes, stores.snapshots)
        manager = TransferManager(handler)
        sweep = Sweep(manager, index, "bench", grace_s=0.0)
        live = Sweep(manager, index, "bench")  # the usual grace: the live path's transfers
        source, destination, receivers = _stock(handler)
        with paced_stream(handler, receivers, rate, figures.latency_ms) as phase:
            phase("baseline")
            time.sleep(3)
            for n in range(runs):
                phase("index sweep")
                for tid in (f"B-{n}-{k}-{uuid.uuid4().hex[:6]}" for k in range(open_count)):
                    handle(handler, TransferStockOut(source, tid, destination, 1))
                figures.not_due_sweep_ms.append(_timed(live))
                client.clear()
                figures.sweep_ms.append(_timed(sweep))
                mine = client.counts(threading.get_ident())  # not the stream's requests
                figures.sweep_requests = {f"{op} {t.removeprefix(prefix)}": c
                                          for (op, t), c in mine.items()}  # fmt: skip
                figures.empty_sweep_ms.append(_timed(sweep))
                phase("between")
                time.sleep(1)
            if with_reindex:
                phase(REINDEX)
                figures.reindex_s = _timed(lambda: _reindex(raw, prefix, index)) / 1000
                phase(f"after the {REINDEX}")
                time.sleep(3)
            phase(OLD_SWEEP)  # last: the commands it holds up are late for a while after
            figures.legacy_page_ms = _legacy_pages(raw, JOURNAL.name(prefix), legacy_pages)
            phase(f"after the {OLD_SWEEP}")
            time.sleep(1)
        return figures
    finally:
        for spec in ALL_TABLES:
            raw.delete_table(TableName=spec.name(prefix))


def _stock(handler: CommandHandler) -> tuple[str, str, list[str]]:
    """Create a stocked source, a destination zone and the inventories the stream receives into."""
    n = uuid.uuid4().int
    warehouse = "".join(chr(ord("A") + (n >> (5 * i)) % 26) for i in range(3))
    first = n % 800_000 + 100_000
    products = [f"PRD-{first + i}" for i in range(RECEIVERS)]
    source, destination = f"{products[0]}@{warehouse}-01", f"{products[0]}@{warehouse}-02"
    receivers = [f"{p}@{warehouse}-01" for p in products]
    commands: list[Command] = [
        CreateWarehouse(warehouse, "ベンチ倉庫", "東京都", 1000.0, 10**9),
        *(CreateZone(f"{warehouse}-{z}", "常温", ZoneType.AMBIENT, 10**9) for z in ("01", "02")),
        *(CreateProduct(p, "ベンチ商品", f"SKU-{p[4:]}", Category.FOOD, StorageCondition.AMBIENT,
                        "個") for p in products),
        *(CreateInventory(i) for i in receivers),
        ReceiveStock(source, 1_000_000),
    ]  # fmt: skip
    for command in commands:
        handle(handler, command)
    return source, destination, receivers


def _timed(fn: Callable[[], Any]) -> float:
    began = time.perf_counter()
    fn()
    return (time.perf_counter() - began) * 1000


def _reindex(client: Any, prefix: str, index: DynamoDBOpenTransferIndex) -> None:
    """Do what ``zaiko transfers reindex`` does (4 Scan segments of 1 MB pages)."""
    entries = scan_entries(client, JOURNAL.name(prefix), 4, aggregate_type="inventory")
    reindex(entries, index, round(time.time() * 1000))


def _legacy_pages(client: Any, table: str, pages: int) -> list[float]:
    """Time Scan pages as the removed journal sweep issued them (100 items, inventories only)."""
    params: dict[str, Any] = {"TableName": table, "ConsistentRead": True, "Limit": 100,
                              "FilterExpression": "aggregate_type = :t",
                              "ExpressionAttributeValues": {":t": {"S": "inventory"}}}  # fmt: skip
    timings = []
    for _ in range(pages):
        began = time.perf_counter()
        page = client.scan(**params)
        timings.append((time.perf_counter() - began) * 1000)
        if "LastEvaluatedKey" not in page:
            break
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return timings
