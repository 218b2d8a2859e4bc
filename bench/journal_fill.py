"""Fill a journal table with realistic inventory entries (BatchWriteItem), for benches and tests.

Each item is one accepted ReceiveStock as the worker writes it: an entry of one
encoded ``StockReceived_V1`` envelope, sequence numbers gapless per inventory. The
inventories are of products no other table knows: only the journal's size matters.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from typing import Any

from connectors.eventstore.items import entry_to_item
from connectors.eventstore.port import JournalEntry, StoredEvent
from domain.inventory.events import StockReceived_V1
from schemas import EventEnvelope, EventMeta, encode

BATCH = 25  # BatchWriteItem's limit


def journal_items(count: int, inventories: int, first_product: int = 900_000) -> Iterator[Any]:
    """Yield ``count`` journal items spread round-robin over ``inventories`` inventories."""
    now_ms = round(time.time() * 1000)
    occurred = dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC)
    for n in range(count):
        product = f"PRD-{first_product + n % inventories}"
        inventory_id, seq = f"{product}@ZZZ-01", n // inventories + 1
        command_id = f"fill-{uuid.uuid4().hex}"
        event = StockReceived_V1(inventory_id, product, "ZZZ", "ZZZ-01", quantity=10,
                                 on_hand_after=10 * seq, reserved_after=0,
                                 available_after=10 * seq, operator="bench", note=None)  # fmt: skip
        meta = EventMeta(event_id=str(uuid.uuid4()), aggregate_id=inventory_id,
                         sequence_nr=seq, occurred_at=occurred, causation_id=command_id,
                         correlation_id=command_id)  # fmt: skip
        payload = encode(EventEnvelope(meta, event))
        stored = StoredEvent(inventory_id, seq, meta.event_id, "StockReceived_V1", payload,
                             now_ms, command_id, command_id)  # fmt: skip
        entry = JournalEntry(inventory_id, "inventory", seq, seq, command_id, command_id,
                             (stored,))  # fmt: skip
        yield entry_to_item(entry, written_at_ms=now_ms)


def fill_journal(client: Any, table: str, count: int, inventories: int = 2_000) -> float:
    """Write ``count`` items with BatchWriteItem (unprocessed ones resent); return seconds."""
    started = time.monotonic()
    batch: list[Any] = []
    for item in journal_items(count, inventories):
        batch.append({"PutRequest": {"Item": item}})
        if len(batch) == BATCH:
            _write(client, table, batch)
            batch = []
    if batch:
        _write(client, table, batch)
    return time.monotonic() - started


def _write(client: Any, table: str, requests: list[Any]) -> None:
    while requests:
        answer = client.batch_write_item(RequestItems={table: requests})
        requests = answer.get("UnprocessedItems", {}).get(table, [])
