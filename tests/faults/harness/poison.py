"""Put an event into an aggregate's journal that the read model must refuse.

The domain never decides it (that is the point): it stands for an event of an older
version or a bug. StockReserved_V1 with 引当済数 above 現在庫数 breaks 在庫's CHECK
(引当済数 <= 現在庫数), whatever the column types, so it stays poison whatever the
limits are; it decodes fine, so it reaches the projector's write, not its decoder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid
from typing import Any

from connectors.dynamodb.tables import JOURNAL
from connectors.eventstore.dynamodb_store import DynamoDBEventStore
from connectors.eventstore.port import NewEvent
from domain.inventory.events import StockReserved_V1
from schemas import EventEnvelope, EventMeta, decode_event, encode
from tests.faults.harness.journal import read_journal


def append_poison(client: Any, prefix: str, inventory_id: str) -> int:
    """Append the poison event after the inventory's head; return its seq nr."""
    journal = read_journal(client, prefix, [inventory_id])
    head = journal.last_seq(inventory_id)
    last = decode_event(journal.events(inventory_id)[-1].payload, upcast=False).event
    base = {f.name: getattr(last, f.name) for f in dataclasses.fields(last)
            if f.name in ("inventory_id", "product_id", "warehouse_id", "zone_id")}  # fmt: skip
    on_hand = int(getattr(last, "on_hand_after", 0))
    poison = StockReserved_V1(**base, reservation_id=f"POISON-{uuid.uuid4().hex[:8]}",
                              quantity=on_hand + 1, customer_id=None, on_hand_after=on_hand,
                              reserved_after=on_hand + 1, available_after=-1,
                              operator=None, note="fault suite: poison")  # fmt: skip
    command_id = f"fault-poison-{uuid.uuid4().hex}"
    now_ms = int(time.time() * 1000)
    meta = EventMeta(event_id=str(uuid.uuid4()), aggregate_id=inventory_id, sequence_nr=head + 1,
                     occurred_at=dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC),
                     causation_id=command_id, correlation_id=command_id)  # fmt: skip
    event = NewEvent(meta.event_id, "StockReserved_V1", encode(EventEnvelope(meta, poison)), now_ms)
    store = DynamoDBEventStore(client, JOURNAL.name(prefix))
    store.append(inventory_id, "inventory", head, [event], command_id, command_id)
    return head + 1
