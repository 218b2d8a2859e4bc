"""A private read-model database per test module, filled by projecting real events.

Masters, inventories and movements go through connectors/postgres PostgresProjector (the
same path as production); companies, thresholds and alert state are CRUD/agent tables and
are inserted with SQL. Counts and filters are exact because nobody else writes here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg

from compose.migrate import apply_migrations
from connectors.postgres import PostgresProjector
from domain.customer.events import CustomerCreated_V1
from domain.enums import Category, CustomerType, ProductStatus, StorageCondition, ZoneType
from domain.inventory.events import InventoryCreated_V1, StockReceived_V1, StockReserved_V1
from domain.product.events import ProductCreated_V1, ProductDiscontinued_V1
from domain.warehouse.events import WarehouseCreated_V1
from domain.zone.events import ZoneCreated_V1
from tests.unit.projections.builders import Recorder

WAREHOUSES = {"TKY": "東京", "OSK": "大阪", "FUK": "福岡"}
ZONES = {"01": ZoneType.AMBIENT, "02": ZoneType.CHILLED, "03": ZoneType.FROZEN}
CONDITIONS = [StorageCondition.AMBIENT, StorageCondition.CHILLED, StorageCondition.FROZEN]
ZONE_OF = {
    StorageCondition.AMBIENT: "01",
    StorageCondition.CHILLED: "02",
    StorageCondition.FROZEN: "03",
}
CUSTOMER_TYPES = list(CustomerType)


@dataclass(frozen=True)
class Product:
    id: str
    category: Category
    condition: StorageCondition
    discontinued: bool
    stock: dict[str, int]  # warehouse code -> on hand (in the zone of its condition)
    reserved: int  # reserved in TKY


def product_plan(count: int) -> list[Product]:
    """Return ``count`` products: every 5th 日用品, food cycling 常温/冷蔵/冷凍, every 10th 廃止."""
    plan = []
    for i in range(1, count + 1):
        category = Category.DAILY_GOODS if i % 5 == 0 else Category.FOOD
        condition = (
            StorageCondition.AMBIENT if category is Category.DAILY_GOODS else CONDITIONS[i % 3]
        )
        low = i % 7 == 0  # a few inventories below the default threshold of 10
        stock = {"TKY": 5 if low else 100 + i, "OSK": 40 + i}
        plan.append(Product(f"PRD-{i:06d}", category, condition, i % 10 == 0, stock, i % 4))
    return plan


def events(products: list[Product], customers: int) -> Recorder:
    """Record the masters, inventories and stock movements of the data set."""
    rec = Recorder()
    for code, city in WAREHOUSES.items():
        rec.record(WarehouseCreated_V1(code, f"{city}倉庫", f"{city}市", 5000.0, 100_000, True))
        for number, kind in ZONES.items():
            rec.record(
                ZoneCreated_V1(
                    f"{code}-{number}",
                    code,
                    number,
                    f"{city}{kind}区画",
                    kind,
                    10_000,
                    None,
                    None,
                    True,
                )
            )
    for p in products:
        n = int(p.id[4:])
        rec.record(
            ProductCreated_V1(
                p.id,
                f"テスト商品{n:03d}",
                f"SKU-{n:04d}",
                p.category,
                p.condition,
                "個",
                f"説明{n}",
                100 * n,
                ProductStatus.ACTIVE,
            )
        )
        if p.discontinued:
            rec.record(ProductDiscontinued_V1(p.id, "終売", ProductStatus.DISCONTINUED))
        for code, quantity in p.stock.items():
            zone = f"{code}-{ZONE_OF[p.condition]}"
            inv = f"{p.id}@{zone}"
            rec.record(
                InventoryCreated_V1(inv, p.id, code, zone),
                StockReceived_V1(
                    inv, p.id, code, zone, quantity, quantity, 0, quantity, "山田", "入荷"
                ),
            )
            if code == "TKY" and p.reserved:
                rec.record(
                    StockReserved_V1(
                        inv,
                        p.id,
                        code,
                        zone,
                        f"R-{n}",
                        p.reserved,
                        None,
                        quantity,
                        p.reserved,
                        quantity - p.reserved,
                        None,
                        None,
                    )
                )
    for i in range(1, customers + 1):
        company = f"CMP-{(i % 3) + 2:04d}"
        rec.record(
            CustomerCreated_V1(
                f"CUS-{i:04d}",
                company,
                f"取引先{i}",
                CUSTOMER_TYPES[i % 4],
                "東京都",
                "03-0000-0000",
                True,
            )
        )
    return rec


COMPANIES = [
    ("CMP-0001", "株式会社D商事", "自社"),
    ("CMP-0002", "スーパー東西", "取引先企業"),
    ("CMP-0003", "コンビニ南北", "取引先企業"),
    ("CMP-0004", "レストラン中央", "取引先企業"),
]


def fill(url: str, products: list[Product], customers: int) -> Recorder:
    """Project the data set into the database at ``url`` and add the CRUD rows."""
    rec = events(products, customers)
    projector = PostgresProjector.connect(url)
    try:
        projector.apply_batch(rec.envelopes)
    finally:
        projector.close()
    with psycopg.connect(url, autocommit=True) as conn:
        for cid, name, kind in COMPANIES:
            conn.execute(
                "INSERT INTO 企業 (企業ID, 企業名, 企業種別, 資本金) VALUES (%s, %s, %s, %s)",
                (cid, name, kind, 10_000_000_000),
            )
        conn.execute(
            "INSERT INTO 区画別在庫閾値 (倉庫コード, 区画番号, 閾値) VALUES ('OSK', '02', 100)"
        )
        conn.execute(
            "INSERT INTO 低在庫アラート状態 (在庫ID, 警告可能, 最終評価シーケンス番号,"
            " 最終有効在庫数, 発報シーケンス番号, 発報閾値, 更新日時) VALUES"
            " ('PRD-000007@TKY-02', false, 2, 5, 2, 10, now() - interval '1 minute'),"
            " ('PRD-000014@TKY-03', false, 3, 3, 3, 10, now()),"
            " ('PRD-000001@TKY-02', true, 3, 101, NULL, NULL, now())"
        )
    return rec


@contextmanager
def private_database(base_url: str) -> Iterator[str]:
    """Create a fresh database with the migrations applied; drop it afterwards."""
    name = f"qg_{uuid.uuid4().hex[:12]}"
    admin = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        apply_migrations(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rows(url: str, statement: str, *params: Any) -> list[tuple[Any, ...]]:
    """Run one statement on ``url`` and return its rows (for expected values)."""
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(statement, params).fetchall()
