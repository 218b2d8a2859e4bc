"""The read model's column types hold every value `domain.limits` lets through."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import psycopg
import pytest

from compose.stack import Stack
from domain import limits
from domain.ids import CompanyId, CustomerId, InventoryId, ProductId, Sku, WarehouseId

pytestmark = pytest.mark.integration
INTEGER_MAX = {"integer": 2**31 - 1, "bigint": 2**63 - 1}
ZONE_NO_LENGTH = limits.ZONE_DIGITS

# (table, column) -> the largest value (int), longest text (int, as "len"), or
# (largest number, decimals) it must hold.
WHOLE = {
    ("在庫", "現在庫数"): limits.MAX_ON_HAND,
    ("在庫", "引当済数"): limits.MAX_ON_HAND,
    ("在庫", "有効在庫数"): limits.MAX_ON_HAND,
    ("在庫", "移動中数"): limits.MAX_ON_HAND,
    ("受払履歴", "受払数量"): max(limits.MAX_QUANTITY, limits.MAX_ADJUSTMENT),
    ("受払履歴", "受払後在庫数"): limits.MAX_ON_HAND,
    ("保管条件違反", "数量"): limits.MAX_QUANTITY,
    ("低在庫アラート状態", "最終有効在庫数"): limits.MAX_ON_HAND,
    ("倉庫", "容量"): limits.MAX_CAPACITY,
    ("倉庫別区画", "区画容量"): limits.MAX_CAPACITY,
    ("商品", "参考価格"): limits.MAX_REFERENCE_PRICE,
    ("企業", "資本金"): limits.MAX_CAPITAL_YEN,
    ("企業", "従業員数"): limits.MAX_EMPLOYEES,
}
TEXT = {
    ("商品", "商品ID"): ProductId.max_length,
    ("商品", "SKU"): Sku.max_length,
    ("取引先", "取引先ID"): CustomerId.max_length,
    ("取引先", "企業ID"): CompanyId.max_length,
    ("企業", "企業ID"): CompanyId.max_length,
    ("企業", "電話番号"): 20,
    ("倉庫", "倉庫コード"): WarehouseId.max_length,
    ("倉庫別区画", "区画番号"): ZONE_NO_LENGTH,
    ("在庫", "在庫ID"): InventoryId.max_length,
    ("在庫", "商品ID"): ProductId.max_length,
    ("受払履歴", "在庫ID"): InventoryId.max_length,
    ("受払履歴", "商品ID"): ProductId.max_length,
    ("受払履歴", "移動先区画番号"): ZONE_NO_LENGTH,
    ("保管条件違反", "在庫ID"): InventoryId.max_length,
    ("低在庫アラート状態", "在庫ID"): InventoryId.max_length,
    ("商品別在庫集計", "商品ID"): ProductId.max_length,
}
DECIMAL = {
    ("倉庫", "延べ床面積"): (limits.MAX_FLOOR_AREA_M2, limits.FLOOR_AREA_DECIMALS),
    ("倉庫別区画", "最低温度"): (max(-limits.MIN_TEMPERATURE_C, limits.MAX_TEMPERATURE_C),
                         limits.TEMPERATURE_DECIMALS),
    ("倉庫別区画", "最高温度"): (max(-limits.MIN_TEMPERATURE_C, limits.MAX_TEMPERATURE_C),
                         limits.TEMPERATURE_DECIMALS),
}  # fmt: skip


def columns(stack: Stack) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Return (data type, length, precision, scale) of every column of the read model."""
    with psycopg.connect(stack.settings.effective_database_url, autocommit=True) as conn:
        found = conn.execute(
            "SELECT table_name, column_name, data_type, character_maximum_length,"
            " numeric_precision, numeric_scale FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        ).fetchall()
    return {(row[0], row[1]): row[2:] for row in found}


def lookup(found: dict[tuple[str, str], tuple[Any, ...]], key: tuple[str, str]) -> tuple[Any, ...]:
    """Return a column's type; unquoted names are folded to lower case (商品ID is 商品id)."""
    return found[(key[0].lower(), key[1].lower())]


def test_every_bounded_column_holds_the_domain_limit(stack: Stack) -> None:
    found = columns(stack)
    problems = []
    for key, largest in WHOLE.items():
        kind = lookup(found, key)[0]
        if largest > INTEGER_MAX.get(kind, 0):
            problems.append(f"{key}: {kind} cannot hold {largest:,}")
    for key, longest in TEXT.items():
        kind, length, _, _ = lookup(found, key)
        if kind != "text" and (length is None or length < longest):
            problems.append(f"{key}: {kind}({length}) shorter than {longest}")
    for key, (largest, places) in DECIMAL.items():
        kind, _, precision, scale = lookup(found, key)
        assert kind == "numeric" and precision is not None and scale is not None
        if scale < places or Decimal(str(largest)) >= Decimal(10) ** (precision - scale):
            problems.append(f"{key}: numeric({precision}, {scale}) cannot hold {largest}")
    assert problems == []
