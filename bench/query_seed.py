"""A private, seeded read model for ``zaiko bench query`` (created, filled, dropped).

Products are spread like the business's: 3 warehouses x 3 zones; each product sits in
the zone of its storage condition in every warehouse (Tokyo 50% / Osaka 30% / Fukuoka
20% of its stock). Rows arrive by projecting events, as in production.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from compose.migrate import apply_migrations
from connectors.postgres import PostgresProjector
from connectors.postgres.conninfo import LONG, with_timeouts
from domain.enums import Category, ProductStatus, StorageCondition, ZoneType
from domain.inventory.events import InventoryCreated_V1, StockReceived_V1
from domain.messages import aggregate_id_of
from domain.product.events import ProductCreated_V1
from domain.warehouse.events import WarehouseCreated_V1
from domain.zone.events import ZoneCreated_V1
from schemas import EventEnvelope, EventMeta, now_millis

WAREHOUSES = {"TKY": ("東京", 0.5), "OSK": ("大阪", 0.3), "FUK": ("福岡", 0.2)}
ZONE_NO = {ZoneType.AMBIENT: "01", ZoneType.CHILLED: "02", ZoneType.FROZEN: "03"}
CONDITIONS = (
    [StorageCondition.AMBIENT] * 6 + [StorageCondition.CHILLED] * 3 + [StorageCondition.FROZEN]
)


@contextmanager
def private_database(base_url: str, name: str) -> Iterator[str]:
    """Create database ``name`` next to ``base_url``'s, migrate it, drop it afterwards."""
    root = base_url.rsplit("/", 1)[0]
    with psycopg.connect(with_timeouts(f"{root}/postgres", LONG), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        apply_migrations(f"{root}/{name}")
        yield f"{root}/{name}"
    finally:
        with psycopg.connect(with_timeouts(f"{root}/postgres", LONG), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _events(count: int) -> Iterator[Any]:
    for code, (city, _) in WAREHOUSES.items():
        yield WarehouseCreated_V1(code, f"{city}倉庫", f"{city}市", 5000.0, 1_000_000, True)
        for kind, number in ZONE_NO.items():
            yield ZoneCreated_V1(
                f"{code}-{number}",
                code,
                number,
                f"{city}{kind}区画",
                kind,
                300_000,
                None,
                None,
                True,
            )
    for n in range(1, count + 1):
        product = f"PRD-{n:06d}"
        condition = CONDITIONS[n % len(CONDITIONS)]
        category = Category.DAILY_GOODS if n % 4 == 0 and condition == "常温" else Category.FOOD
        yield ProductCreated_V1(
            product,
            f"商品{n:05d}",
            f"SKU-{n:05d}",
            category,
            condition,
            "個",
            "",
            100 + n % 900,
            ProductStatus.ACTIVE,
        )
        for code, (_, share) in WAREHOUSES.items():
            zone = f"{code}-{ZONE_NO[ZoneType(condition.value)]}"
            inventory, quantity = f"{product}@{zone}", max(1, int(200 * share))
            yield InventoryCreated_V1(inventory, product, code, zone)
            yield StockReceived_V1(
                inventory, product, code, zone, quantity, quantity, 0, quantity, "bench", None
            )


def seed_products(url: str, count: int, batch: int = 3000) -> None:
    """Project ``count`` products with their inventories into the database at ``url``."""
    sequence: dict[str, int] = defaultdict(int)
    at = now_millis() - dt.timedelta(days=1)
    projector = PostgresProjector.connect(url)
    try:
        pending: list[EventEnvelope[Any]] = []
        for event in _events(count):
            aggregate = aggregate_id_of(event)
            sequence[aggregate] += 1
            meta = EventMeta(
                event_id=uuid.uuid4().hex,
                aggregate_id=aggregate,
                sequence_nr=sequence[aggregate],
                occurred_at=at,
                causation_id="bench-seed",
                correlation_id="bench-seed",
            )
            pending.append(EventEnvelope(meta, event))
            if len(pending) >= batch:
                projector.apply_batch(pending)
                pending = []
        if pending:
            projector.apply_batch(pending)
    finally:
        projector.close()
