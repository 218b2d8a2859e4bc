"""Statement texts of the batch loaders (one statement per batch of keys)."""

from __future__ import annotations


def select_list(alias: str, columns: str) -> str:
    """Return ``alias.col AS "col", ...``: unquoted names fold ASCII to lower case in
    Postgres (商品ID is stored as 商品id), so quoted aliases keep the names the cache uses."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}{c} AS "{c}"' for c in columns.split())


PRODUCT_COLUMNS = select_list(
    "p",
    "商品ID 商品名 SKU カテゴリ 保管条件 説明 単位 参考価格 JANコード ステータス"
    " 廃止理由 作成日時 更新日時",
)
WAREHOUSE_COLUMNS = select_list(
    "w", "倉庫コード 倉庫名 所在地 延べ床面積 容量 有効フラグ 停止理由 作成日時 更新日時"
)
ZONE_COLUMNS = "z.倉庫コード || '-' || z.区画番号 AS \"区画ID\", " + select_list(
    "z",
    "倉庫コード 区画番号 区画名 区画タイプ 区画容量 最低温度 最高温度 有効フラグ"
    " 停止理由 作成日時 更新日時",
)
INVENTORY_COLUMNS = select_list(
    "i", "在庫ID 商品ID 倉庫コード 区画番号 現在庫数 引当済数 有効在庫数 移動中数 最終更新日時"
)
CUSTOMER_COLUMNS = select_list(
    "c",
    "取引先ID 企業ID 取引先名 取引先タイプ 住所 連絡先 取引開始日 取引ステータス"
    " 停止理由 作成日時 更新日時",
)
COMPANY_COLUMNS = select_list(
    "k",
    "企業ID 企業名 企業種別 郵便番号 住所 電話番号 代表者名 設立年月日 資本金"
    " 従業員数 作成日時 更新日時",
)
MOVEMENT_COLUMNS = select_list(
    "m",
    "受払履歴No 受払日時 在庫ID シーケンス番号 商品ID 倉庫コード 区画番号 受払区分"
    " 受払数量 受払後在庫数 操作者 備考 調整理由 移動ID 移動方向 移動元倉庫コード"
    " 移動元区画番号 移動先倉庫コード 移動先区画番号",
)
TOTALS_COLUMNS = "現在庫数 引当済数 有効在庫数 移動中数 在庫行数"
USAGE_COLUMNS = select_list(
    "u", f"倉庫コード 区画番号 区画名 区画タイプ 区画容量 {TOTALS_COLUMNS} 使用率"
)
CATEGORY_COLUMNS = select_list(
    "s", "カテゴリ 保管条件 商品数 現在庫数 引当済数 有効在庫数 移動中数"
)
ALERT_COLUMNS = select_list(
    "a",
    "在庫ID 警告可能 最終評価シーケンス番号 最終有効在庫数 発報シーケンス番号 発報閾値 更新日時",
)

# Master rows with their 投影位置 version (read in one snapshot, for the cache fill).
PRODUCTS_BY_ID = (
    f"SELECT {PRODUCT_COLUMNS}, v.適用済シーケンス番号 AS _version FROM 商品 p"
    " LEFT JOIN 投影位置 v ON v.集約ID = p.商品ID WHERE p.商品ID = ANY(%s)"
)
WAREHOUSES_BY_CODE = (
    f"SELECT {WAREHOUSE_COLUMNS}, v.適用済シーケンス番号 AS _version FROM 倉庫 w"
    " LEFT JOIN 投影位置 v ON v.集約ID = w.倉庫コード::text WHERE w.倉庫コード = ANY(%s)"
)
ZONES_BY_ID = (
    f"SELECT {ZONE_COLUMNS}, v.適用済シーケンス番号 AS _version FROM 倉庫別区画 z"
    " LEFT JOIN 投影位置 v ON v.集約ID = z.倉庫コード || '-' || z.区画番号"
    " WHERE (z.倉庫コード, z.区画番号) IN"
    " (SELECT split_part(x, '-', 1), split_part(x, '-', 2) FROM unnest(%s::text[]) x)"
)

INVENTORIES_BY_PRODUCT = (
    f"SELECT {INVENTORY_COLUMNS} FROM 在庫 i WHERE i.商品ID = ANY(%s)"
    " ORDER BY i.商品ID, i.倉庫コード, i.区画番号"
)
INVENTORIES_BY_ID = f"SELECT {INVENTORY_COLUMNS} FROM 在庫 i WHERE i.在庫ID = ANY(%s)"
# The first n inventories (by 商品ID) of each zone asked for.
INVENTORIES_BY_ZONE = (
    f"SELECT * FROM (SELECT {INVENTORY_COLUMNS}, row_number() OVER"
    " (PARTITION BY i.倉庫コード, i.区画番号 ORDER BY i.商品ID) AS _rank FROM 在庫 i"
    " WHERE (i.倉庫コード, i.区画番号) IN"
    " (SELECT split_part(x, '-', 1), split_part(x, '-', 2) FROM unnest(%s::text[]) x)) r"
    ' WHERE _rank <= %s ORDER BY "倉庫コード", "区画番号", "商品ID"'
)
ZONES_BY_WAREHOUSE = (
    f"SELECT {ZONE_COLUMNS} FROM 倉庫別区画 z WHERE z.倉庫コード = ANY(%s)"
    " ORDER BY z.倉庫コード, z.区画番号"
)
ZONE_USAGE_BY_ID = (
    f"SELECT {USAGE_COLUMNS} FROM 区画使用率 u WHERE (u.倉庫コード, u.区画番号) IN"
    " (SELECT split_part(x, '-', 1), split_part(x, '-', 2) FROM unnest(%s::text[]) x)"
)
PRODUCT_TOTALS = (
    f"SELECT {select_list('t', '商品ID ' + TOTALS_COLUMNS)} FROM 商品別在庫集計 t"
    " WHERE t.商品ID = ANY(%s)"
)
WAREHOUSE_TOTALS = (
    f"SELECT {select_list('t', '倉庫コード ' + TOTALS_COLUMNS)} FROM 倉庫別在庫集計 t"
    " WHERE t.倉庫コード = ANY(%s)"
)
COMPANIES_BY_ID = f"SELECT {COMPANY_COLUMNS} FROM 企業 k WHERE k.企業ID = ANY(%s)"
CUSTOMERS_BY_ID = f"SELECT {CUSTOMER_COLUMNS} FROM 取引先 c WHERE c.取引先ID = ANY(%s)"
CUSTOMERS_BY_COMPANY = (
    f"SELECT * FROM (SELECT {CUSTOMER_COLUMNS}, row_number() OVER"
    " (PARTITION BY c.企業ID ORDER BY c.取引先ID) AS _rank FROM 取引先 c"
    ' WHERE c.企業ID = ANY(%s)) r WHERE _rank <= %s ORDER BY "企業ID", "取引先ID"'
)
POSITION = "SELECT 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = %s"
