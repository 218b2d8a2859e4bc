"""取引先 rows from Customer events."""

from __future__ import annotations

from typing import Any

from connectors.postgres.writes import MasterHandler, Write, japan_date
from domain.customer.events import (
    CustomerCreated_V1,
    CustomerDeactivated_V1,
    CustomerTypeChanged_V1,
    CustomerUpdated_V1,
)
from schemas import EventMeta

TRADING, STOPPED = "取引中", "取引停止"

CREATE = """
INSERT INTO 取引先 (取引先ID, 企業ID, 取引先名, 取引先タイプ, 住所, 連絡先, 取引開始日,
                    取引ステータス, 作成日時, 更新日時)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (取引先ID) DO UPDATE SET
    企業ID = EXCLUDED.企業ID, 取引先名 = EXCLUDED.取引先名, 取引先タイプ = EXCLUDED.取引先タイプ,
    住所 = EXCLUDED.住所, 連絡先 = EXCLUDED.連絡先, 取引開始日 = EXCLUDED.取引開始日,
    取引ステータス = EXCLUDED.取引ステータス, 作成日時 = EXCLUDED.作成日時,
    更新日時 = EXCLUDED.更新日時
"""
UPDATE = (
    "UPDATE 取引先 SET 取引先名 = %s, 住所 = %s, 連絡先 = %s, 更新日時 = %s WHERE 取引先ID = %s"
)
DEACTIVATE = """
UPDATE 取引先 SET 取引ステータス = %s, 停止理由 = %s, 更新日時 = %s WHERE 取引先ID = %s
"""
CHANGE_TYPE = "UPDATE 取引先 SET 取引先タイプ = %s, 更新日時 = %s WHERE 取引先ID = %s"


def _created(meta: EventMeta, e: CustomerCreated_V1) -> list[Write]:
    at = meta.occurred_at
    status = TRADING if e.active else STOPPED
    params = (e.customer_id, e.company_id, e.name, str(e.customer_type), e.address, e.contact)
    return [Write(CREATE, (*params, japan_date(at), status, at, at))]


def _updated(meta: EventMeta, e: CustomerUpdated_V1) -> list[Write]:
    return [Write(UPDATE, (e.name, e.address, e.contact, meta.occurred_at, e.customer_id))]


def _deactivated(meta: EventMeta, e: CustomerDeactivated_V1) -> list[Write]:
    return [Write(DEACTIVATE, (STOPPED, e.reason, meta.occurred_at, e.customer_id))]


def _type_changed(meta: EventMeta, e: CustomerTypeChanged_V1) -> list[Write]:
    return [Write(CHANGE_TYPE, (str(e.customer_type), meta.occurred_at, e.customer_id))]


HANDLERS: dict[type[Any], MasterHandler] = {
    CustomerCreated_V1: _created,
    CustomerUpdated_V1: _updated,
    CustomerDeactivated_V1: _deactivated,
    CustomerTypeChanged_V1: _type_changed,
}
