"""Japanese read-model columns -> English field names (snake_case; GraphQL camelCases them).

Rows come from Postgres (datetime, Decimal) or from the Redis cache (JSON written by the
projector or by our fill: ISO strings, floats); ``english`` gives both the same shape.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

Row = dict[str, Any]


def _columns(spec: str) -> dict[str, str]:
    """Parse ``"列=field 列=field ..."`` into column -> field name."""
    return dict(pair.split("=") for pair in spec.split())


PRODUCT = _columns(
    "商品ID=id 商品名=name SKU=sku カテゴリ=category 保管条件=storage_condition"
    " 説明=description 単位=unit 参考価格=reference_price JANコード=jan_code ステータス=status"
    " 廃止理由=discontinued_reason 作成日時=created_at 更新日時=updated_at"
)
WAREHOUSE = _columns(
    "倉庫コード=code 倉庫名=name 所在地=location 延べ床面積=floor_area 容量=capacity"
    " 有効フラグ=active 停止理由=deactivation_reason 作成日時=created_at 更新日時=updated_at"
)
ZONE = _columns(
    "区画ID=id 倉庫コード=warehouse_code 区画番号=zone_no 区画名=name 区画タイプ=zone_type"
    " 区画容量=capacity 最低温度=min_temperature 最高温度=max_temperature 有効フラグ=active"
    " 停止理由=deactivation_reason 作成日時=created_at 更新日時=updated_at"
)
INVENTORY = _columns(
    "在庫ID=id 商品ID=product_id 倉庫コード=warehouse_code 区画番号=zone_no 現在庫数=on_hand"
    " 引当済数=reserved 有効在庫数=available 移動中数=in_transit 最終更新日時=updated_at"
    " 閾値=threshold 不足数=shortfall"
)
TOTALS = _columns(
    "商品ID=product_id 倉庫コード=warehouse_code 区画番号=zone_no 区画名=zone_name"
    " 区画タイプ=zone_type 区画容量=capacity 現在庫数=on_hand 引当済数=reserved"
    " 有効在庫数=available 移動中数=in_transit 在庫行数=inventory_rows 使用率=utilisation"
    " カテゴリ=category 保管条件=storage_condition 商品数=products 更新日時=updated_at"
)
COMPANY = _columns(
    "企業ID=id 企業名=name 企業種別=kind 郵便番号=postal_code 住所=address 電話番号=phone"
    " 代表者名=representative 設立年月日=founded_on 資本金=capital 従業員数=employees"
    " 作成日時=created_at 更新日時=updated_at"
)
CUSTOMER = _columns(
    "取引先ID=id 企業ID=company_id 取引先名=name 取引先タイプ=customer_type 住所=address"
    " 連絡先=contact 取引開始日=since 取引ステータス=status 停止理由=suspension_reason"
    " 作成日時=created_at 更新日時=updated_at"
)
MOVEMENT = _columns(
    "受払履歴No=id 受払日時=occurred_at 在庫ID=inventory_id シーケンス番号=sequence_nr"
    " 商品ID=product_id 倉庫コード=warehouse_code 区画番号=zone_no 受払区分=kind"
    " 受払数量=quantity 受払後在庫数=stock_after 操作者=operator 備考=note"
    " 調整理由=adjustment_reason 移動ID=transfer_id 移動方向=transfer_direction"
    " 移動元倉庫コード=from_warehouse_code 移動元区画番号=from_zone_no"
    " 移動先倉庫コード=to_warehouse_code 移動先区画番号=to_zone_no"
)
ALERT = _columns(
    "在庫ID=inventory_id 警告可能=armed 最終評価シーケンス番号=last_evaluated_sequence_nr"
    " 最終有効在庫数=last_available 発報シーケンス番号=fired_sequence_nr"
    " 発報閾値=fired_threshold 更新日時=updated_at"
)

_DATETIMES = {"created_at", "updated_at", "occurred_at"}
_DATES = {"founded_on", "since"}


def english(row: Row, columns: dict[str, str]) -> Row:
    """Rename a row's columns to field names, normalising cached JSON values."""
    out: Row = {}
    for column, name in columns.items():
        if column not in row:
            continue
        value = row[column]
        if isinstance(value, str) and name in _DATETIMES:
            value = dt.datetime.fromisoformat(value)
        elif isinstance(value, str) and name in _DATES:
            value = dt.date.fromisoformat(value)
        elif isinstance(value, Decimal):
            value = float(value)
        out[name] = value
    return out


def jsonable(value: Any) -> Any:
    """Return ``value`` as the projector writes it into the cache (ISO strings, floats)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def zone_id(warehouse_code: str, zone_no: str) -> str:
    """Return the zone aggregate id ``<倉庫コード>-<区画番号>``."""
    return f"{warehouse_code.strip()}-{zone_no}"


def split_zone_id(value: str) -> tuple[str, str]:
    """Split ``TKY-01`` into (倉庫コード, 区画番号); ValueError when malformed."""
    code, sep, number = value.partition("-")
    if not sep or len(code) != 3 or not code.isalpha() or not code.isupper():
        raise ValueError(value)
    if not (2 <= len(number) <= 4 and number.isdigit()):
        raise ValueError(value)
    return code, number
