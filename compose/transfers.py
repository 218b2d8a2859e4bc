"""``zaiko transfers reindex | open``: the open-transfers index, for operators."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from connectors.dynamodb.client import SCAN_CONFIG, dynamodb_client
from connectors.dynamodb.tables import JOURNAL, OPEN_TRANSFERS, ensure_tables
from connectors.eventstore.errors import UnreadableItemError
from connectors.eventstore.wiring import build_stores
from connectors.journal_scan import scan_entries
from connectors.open_transfers import DynamoDBOpenTransferIndex, OpenTransfer
from connectors.settings import ZaikoSettings
from domain.inventory.state import Inventory
from streams.handling import StateCache
from streams.handling.loader import StateLoader
from streams.transfers.reindex import reindex


@dataclass(frozen=True)
class Listed:
    """One open transfer as ``zaiko transfers open`` shows it."""

    transfer_id: str
    source: str
    destination: str
    quantity: int
    age_s: float
    pending: bool  # the source's journal holds it open (False: its OUT never landed)
    claimed_by: str | None


def run_reindex(settings: ZaikoSettings, segments: int, console: Console) -> int:
    """Scan the journal once and add the entries it lacks; return how many were added."""
    started = time.monotonic()
    client = dynamodb_client(settings, config=SCAN_CONFIG)
    prefix = settings.table_prefix
    ensure_tables(client, prefix)  # an upgraded deployment may not have the index table yet
    unreadable: list[UnreadableItemError] = []
    entries = scan_entries(client, JOURNAL.name(prefix), segments, aggregate_type="inventory",
                           unreadable=unreadable)  # fmt: skip
    index = DynamoDBOpenTransferIndex(client, OPEN_TRANSFERS.name(prefix))
    added = reindex(entries, index, round(time.time() * 1000))
    console.print(f"{len(entries):,} inventory journal entries read in "
                  f"{time.monotonic() - started:.1f} s; {len(added)} open transfer(s) "
                  "added to the index")  # fmt: skip
    for t in added:
        console.print(f"  {t.transfer_id}: {t.source} → {t.destination} ×{t.quantity}")
    for e in unreadable:
        console.print(f"[yellow]skipped[/] {e}")
    return len(added)


def list_open(settings: ZaikoSettings) -> list[Listed]:
    """Return the index's entries, oldest first, each checked against its source's journal."""
    client = dynamodb_client(settings)
    prefix = settings.table_prefix
    stores = build_stores(client, prefix)
    loader = StateLoader(stores.events, stores.snapshots, StateCache())
    now_ms = round(time.time() * 1000)
    entries = sorted(DynamoDBOpenTransferIndex(client, OPEN_TRANSFERS.name(prefix)).entries(),
                     key=lambda e: (e.opened_at_ms, e.key))  # fmt: skip
    return [_listed(e, _pending(loader, e), now_ms) for e in entries]


def print_open(listed: list[Listed], as_json: bool) -> None:
    """Print the open transfers as a table, or as one JSON array."""
    if as_json:
        print(json.dumps([asdict(t) for t in listed], ensure_ascii=False))
        return
    table = Table(title=f"open transfers: {len(listed)}")
    for column in ("transfer id", "source", "destination", "quantity", "age", "state"):
        table.add_column(column)
    for t in listed:
        state = "pending" if t.pending else "OUT not in the journal"
        if t.claimed_by:
            state += f" (claimed by {t.claimed_by})"
        table.add_row(t.transfer_id, t.source, t.destination, str(t.quantity), _age(t.age_s),
                      state)  # fmt: skip
    Console().print(table)


def _pending(loader: StateLoader, entry: OpenTransfer) -> bool:
    state: Any = loader.load("inventory", entry.source).state
    return isinstance(state, Inventory) and entry.transfer_id in state.pending_transfers


def _listed(e: OpenTransfer, pending: bool, now_ms: int) -> Listed:
    age_s = max(0.0, (now_ms - e.opened_at_ms) / 1000)
    claimed = e.claimed_by if e.claimed_until_ms > now_ms else None
    return Listed(e.transfer_id, e.source, e.destination, e.quantity, age_s, pending, claimed)


def _age(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s" if minutes else f"{secs}s"
