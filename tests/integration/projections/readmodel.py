"""Read a scenario's slice of the read model back, with its ids replaced by placeholders."""

from __future__ import annotations

from typing import Any

import psycopg

from tests.unit.projections.builders import Scenario

QUERIES = {
    "在庫": "SELECT 在庫ID, 現在庫数, 引当済数, 有効在庫数, 移動中数, 最終更新日時 FROM 在庫"
    " WHERE 商品ID = %(p)s ORDER BY 在庫ID",
    "受払履歴": "SELECT 在庫ID, シーケンス番号, 受払区分, 受払数量, 受払後在庫数, 受払日時, 操作者,"
    " 備考, 調整理由, 移動方向, 移動元倉庫コード, 移動先倉庫コード FROM 受払履歴"
    " WHERE 商品ID = %(p)s ORDER BY 在庫ID, シーケンス番号",
    "保管条件違反": "SELECT 在庫ID, 保管条件, 区画タイプ, 数量 FROM 保管条件違反"
    " WHERE 商品ID = %(p)s",
    "商品": "SELECT 商品名, カテゴリ, 保管条件, ステータス FROM 商品 WHERE 商品ID = %(p)s",
    "倉庫": "SELECT 倉庫コード, 倉庫名, 有効フラグ FROM 倉庫 WHERE 倉庫コード IN (%(w1)s, %(w2)s)"
    " ORDER BY 倉庫名",
    "倉庫別区画": "SELECT 倉庫コード, 区画番号, 区画タイプ, 区画容量, 最低温度 FROM 倉庫別区画"
    " WHERE 倉庫コード IN (%(w1)s, %(w2)s) ORDER BY 1, 2",
    "商品別在庫集計": "SELECT 現在庫数, 引当済数, 有効在庫数, 移動中数, 在庫行数"
    " FROM 商品別在庫集計 WHERE 商品ID = %(p)s",
    "倉庫別在庫集計": "SELECT 倉庫コード, 現在庫数, 引当済数, 在庫行数 FROM 倉庫別在庫集計"
    " WHERE 倉庫コード IN (%(w1)s, %(w2)s) ORDER BY 2",
    "区画使用率": "SELECT 倉庫コード, 区画番号, 区画容量, 現在庫数, 使用率 FROM 区画使用率"
    " WHERE 倉庫コード IN (%(w1)s, %(w2)s) ORDER BY 1, 2",
    "投影位置": "SELECT 集約ID, 集約種別, 適用済シーケンス番号 FROM 投影位置"
    " WHERE 集約ID LIKE %(p)s || '%%' OR left(集約ID, 3) IN (%(w1)s, %(w2)s) ORDER BY 1",
}


def snapshot(conn: psycopg.Connection[Any], s: Scenario) -> dict[str, list[tuple[Any, ...]]]:
    """Return the scenario's rows per table, ids masked and sorted so scenarios compare."""
    ids = {"p": s.product, "w1": s.w1, "w2": s.w2}
    masks = [(s.product, "<P>"), (s.w1, "<W1>"), (s.w2, "<W2>")]

    def mask(value: Any) -> Any:
        if isinstance(value, str):
            for real, placeholder in masks:
                value = value.replace(real, placeholder)
        return value

    return {
        table: sorted(
            (tuple(mask(v) for v in row) for row in conn.execute(query, ids).fetchall()), key=repr
        )
        for table, query in QUERIES.items()
    }
