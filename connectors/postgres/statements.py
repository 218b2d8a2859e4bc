"""Batch statements: positions, 在庫, 受払履歴, 保管条件違反 and the summary tables.

Every write of a batch is one set-based statement over ``unnest`` of column arrays: one
round trip and one executor run per table, whatever the number of rows (a replay batch
touches thousands of 在庫 rows and aggregates). Each statement's rows have unique keys
(the plan coalesces per key first), as ON CONFLICT DO UPDATE requires.
"""

from __future__ import annotations

UPSERT_POSITIONS = """
INSERT INTO 投影位置 (集約ID, 集約種別, 適用済シーケンス番号, 最終イベントID, 更新日時)
SELECT a, t, s, e, now()
FROM unnest(%b::text[], %b::text[], %b::bigint[], %b::text[]) AS u(a, t, s, e)
ON CONFLICT (集約ID) DO UPDATE SET
    適用済シーケンス番号 = EXCLUDED.適用済シーケンス番号,
    最終イベントID = EXCLUDED.最終イベントID, 更新日時 = EXCLUDED.更新日時
WHERE 投影位置.適用済シーケンス番号 < EXCLUDED.適用済シーケンス番号
"""
UPSERT_STOCK = """
INSERT INTO 在庫 (在庫ID, 商品ID, 倉庫コード, 区画番号, 現在庫数, 引当済数, 移動中数, 最終更新日時)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::int[], %b::int[],
                     %b::int[], %b::timestamptz[])
ON CONFLICT (在庫ID) DO UPDATE SET
    現在庫数 = EXCLUDED.現在庫数, 引当済数 = EXCLUDED.引当済数, 移動中数 = EXCLUDED.移動中数,
    最終更新日時 = EXCLUDED.最終更新日時
"""
INSERT_LEDGER = """
INSERT INTO 受払履歴 (受払履歴No, 受払日時, 在庫ID, シーケンス番号, 商品ID, 倉庫コード, 区画番号,
    受払区分, 受払数量, 受払後在庫数, 操作者, 備考, 調整理由, 移動ID, 移動方向,
    移動元倉庫コード, 移動元区画番号, 移動先倉庫コード, 移動先区画番号)
SELECT * FROM unnest(%b::text[], %b::timestamptz[], %b::text[], %b::bigint[], %b::text[],
    %b::text[], %b::text[], %b::text[], %b::int[], %b::int[], %b::text[], %b::text[],
    %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[])
ON CONFLICT DO NOTHING
"""
INSERT_VIOLATIONS = """
INSERT INTO 保管条件違反 (イベントID, 在庫ID, 商品ID, 倉庫コード, 区画番号, 保管条件, 区画タイプ,
    試行コマンド, 数量, 移動ID, 発生日時)
SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],
    %b::text[], %b::text[], %b::int[], %b::text[], %b::timestamptz[])
ON CONFLICT DO NOTHING
"""


def _add_deltas(table: str, keys: str) -> str:
    arrays = ", ".join(["%b::text[]"] * (keys.count(",") + 1))
    return f"""
INSERT INTO {table} AS s ({keys}, 現在庫数, 引当済数, 移動中数, 在庫行数, 更新日時)
SELECT * FROM unnest({arrays}, %b::bigint[], %b::bigint[], %b::bigint[], %b::int[],
                     %b::timestamptz[])
ON CONFLICT ({keys}) DO UPDATE SET
    現在庫数 = s.現在庫数 + EXCLUDED.現在庫数, 引当済数 = s.引当済数 + EXCLUDED.引当済数,
    移動中数 = s.移動中数 + EXCLUDED.移動中数, 在庫行数 = s.在庫行数 + EXCLUDED.在庫行数,
    更新日時 = greatest(s.更新日時, EXCLUDED.更新日時)
"""


# Applied in this table order and sorted by key, so concurrent projectors lock alike.
ADD_SUMMARY_DELTAS = {
    "product": _add_deltas("商品別在庫集計", "商品ID"),
    "warehouse": _add_deltas("倉庫別在庫集計", "倉庫コード"),
    "zone": _add_deltas("区画別在庫集計", "倉庫コード, 区画番号"),
}
