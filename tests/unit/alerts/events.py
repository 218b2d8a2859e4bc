"""Inventory event envelopes stating a given availability, for alert tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from domain.inventory.events import InventoryCreated_V1, StockAdjusted_V1
from domain.messages import aggregate_id_of
from schemas import EventEnvelope, EventMeta

START = dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC)


def envelope(event: Any, seq: int) -> EventEnvelope[Any]:
    meta = EventMeta(
        event_id=uuid.uuid4().hex,
        aggregate_id=aggregate_id_of(event),
        sequence_nr=seq,
        occurred_at=START + dt.timedelta(minutes=seq),
        causation_id="cmd",
        correlation_id="corr",
    )
    return EventEnvelope(meta, event)


def stock_at(inventory_id: str, seq: int, available: int, reserved: int = 0) -> EventEnvelope[Any]:
    """An adjustment of inventory ``PRD-…@WWW-NN`` leaving ``available`` units available."""
    product_id, _, zone_id = inventory_id.partition("@")
    event = StockAdjusted_V1(
        inventory_id=inventory_id, product_id=product_id, warehouse_id=zone_id[:3],
        zone_id=zone_id, reason="その他", delta=1, on_hand_after=available + reserved,
        reserved_after=reserved, available_after=available, operator=None, note=None,
    )  # fmt: skip
    return envelope(event, seq)


def created(inventory_id: str) -> EventEnvelope[Any]:
    product_id, _, zone_id = inventory_id.partition("@")
    return envelope(InventoryCreated_V1(inventory_id, product_id, zone_id[:3], zone_id), 1)


def fresh_inventory(warehouse: str = "QQQ", zone_no: str = "01") -> str:
    return f"PRD-{uuid.uuid4().int % 10**9:09d}@{warehouse}-{zone_no}"
