"""カテゴリ別・保管条件別集計 on known 在庫 rows: the CSV against SQL over 在庫 and 商品."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from compose.cli import app
from compose.stack import Stack
from connectors.reports.category import HEADERS
from tests.integration.reports.helpers import cli_env, read_csv

pytestmark = pytest.mark.integration

PRODUCTS = [("PRD-000001", "食品類", "常温"), ("PRD-000002", "食品類", "冷蔵"),
            ("PRD-000003", "食品類", "冷凍"), ("PRD-000004", "食品類", "冷蔵"),
            ("PRD-000005", "日用品", "常温"), ("PRD-000006", "日用品", "常温")]  # fmt: skip
# 在庫ID -> 現在庫数, 引当済数
STOCK = {"PRD-000001@TKY-01": (120, 20), "PRD-000001@OSK-01": (30, 0),
         "PRD-000002@TKY-02": (50, 5), "PRD-000003@TKY-03": (10, 10),
         "PRD-000004@OSK-02": (70, 0), "PRD-000005@TKY-01": (200, 40),
         "PRD-000006@FUK-01": (20, 1)}  # fmt: skip
# What the projector keeps, per product, beside 在庫: the sums the view aggregates.
INDEPENDENT = """
    SELECT p.カテゴリ, p.保管条件, count(DISTINCT z.商品ID), sum(z.現在庫数), sum(z.引当済数),
           sum(z.有効在庫数)
    FROM 在庫 z JOIN 商品 p USING (商品ID) GROUP BY 1, 2"""


def load(url: str) -> None:
    per_product: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    with psycopg.connect(url, autocommit=True) as conn:
        for product, category, condition in PRODUCTS:
            conn.execute(
                "INSERT INTO 商品 (商品ID, 商品名, SKU, カテゴリ, 保管条件, 単位, ステータス,"
                " 作成日時, 更新日時) VALUES (%s, %s, %s, %s, %s, '個', '有効', now(), now())",
                (product, f"商品{product[-1]}", f"SKU-{product[-1]}", category, condition),
            )
        for inventory, (on_hand, reserved) in STOCK.items():
            product, zone = inventory.split("@")
            conn.execute(
                "INSERT INTO 在庫 (在庫ID, 商品ID, 倉庫コード, 区画番号, 現在庫数, 引当済数,"
                " 最終更新日時) VALUES (%s, %s, %s, %s, %s, %s, now())",
                (inventory, product, *zone.split("-"), on_hand, reserved),
            )
            sums = per_product[product]
            sums[0], sums[1], sums[2] = sums[0] + on_hand, sums[1] + reserved, sums[2] + 1
        for product, (on_hand, reserved, rows) in per_product.items():
            conn.execute(
                "INSERT INTO 商品別在庫集計 (商品ID, 現在庫数, 引当済数, 在庫行数, 更新日時)"
                " VALUES (%s, %s, %s, %s, now())",
                (product, on_hand, reserved, rows),
            )


def test_category_report_matches_sql_over_inventory_with_subtotals_and_the_food_ratio(
    stack: Stack, database_url: str, tmp_path: Path
) -> None:
    load(database_url)
    out = tmp_path / "reports" / "category.csv"
    result = CliRunner().invoke(app, ["report", "category", "--out", str(out)],
                                env=cli_env(stack.settings, database_url))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert tuple(rows[0]) == HEADERS
    with psycopg.connect(database_url, autocommit=True) as conn:
        expected = {(c, s): [int(v) for v in rest]
                    for c, s, *rest in conn.execute(INDEPENDENT)}  # fmt: skip
    body = {(r[0], r[1]): [int(v) for v in r[2:6]] for r in rows[1:]}
    shares = {(r[0], r[1]): float(r[6]) for r in rows[1:]}
    details = {k: v for k, v in body.items() if k[1] not in ("小計", "")}
    assert details == expected
    total_on_hand = sum(on_hand for on_hand, _ in STOCK.values())  # 500
    food = 120 + 30 + 50 + 10 + 70
    assert body[("食品類", "小計")] == [4, food, 35, food - 35]
    assert body[("日用品", "小計")] == [2, 220, 41, 179]
    assert body[("合計", "")] == [6, total_on_hand, 76, total_on_hand - 76]
    assert shares[("食品類", "小計")] == round(100 * food / total_on_hand, 1) == 56.0
    assert shares[("日用品", "常温")] == 44.0 and shares[("合計", "")] == 100.0
    assert "食品類/日用品 比率" in result.output and "56.0 %" in result.output
    assert [r[0] for r in rows[1:]][-1] == "合計"


def test_an_empty_read_model_gives_a_total_row_of_zeros(
    stack: Stack, database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "empty.csv"
    result = CliRunner().invoke(app, ["report", "category", "--out", str(out)],
                                env=cli_env(stack.settings, database_url))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert read_csv(out) == [list(HEADERS), ["合計", "", "0", "0", "0", "0", "0.0"]]
