"""The two CRUD masters ``zaiko load`` writes straight to Postgres: 企業 and 区画別在庫閾値."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

from connectors.postgres.conninfo import with_timeouts
from domain.company import Company
from simulation.model import ZoneSpec

UPSERT_COMPANY = """
INSERT INTO 企業 (企業ID, 企業名, 企業種別, 郵便番号, 住所, 電話番号, 代表者名, 設立年月日,
                  資本金, 従業員数)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (企業ID) DO UPDATE SET
    企業名 = EXCLUDED.企業名, 企業種別 = EXCLUDED.企業種別, 郵便番号 = EXCLUDED.郵便番号,
    住所 = EXCLUDED.住所, 電話番号 = EXCLUDED.電話番号, 代表者名 = EXCLUDED.代表者名,
    設立年月日 = EXCLUDED.設立年月日, 資本金 = EXCLUDED.資本金, 従業員数 = EXCLUDED.従業員数,
    更新日時 = now()
WHERE (企業.企業名, 企業.企業種別, 企業.郵便番号, 企業.住所, 企業.電話番号, 企業.代表者名,
       企業.設立年月日, 企業.資本金, 企業.従業員数)
      IS DISTINCT FROM
      (EXCLUDED.企業名, EXCLUDED.企業種別, EXCLUDED.郵便番号, EXCLUDED.住所, EXCLUDED.電話番号,
       EXCLUDED.代表者名, EXCLUDED.設立年月日, EXCLUDED.資本金, EXCLUDED.従業員数)
RETURNING (xmax = 0) AS inserted
"""
# Thresholds belong to operators once seeded: a later load never overwrites their edits.
INSERT_THRESHOLD = """
INSERT INTO 区画別在庫閾値 (倉庫コード, 区画番号, 閾値) VALUES (%s, %s, %s)
ON CONFLICT (倉庫コード, 区画番号) DO NOTHING
RETURNING 1
"""
ZONE_PROJECTED = "SELECT 1 FROM 倉庫別区画 WHERE 倉庫コード = %s AND 区画番号 = %s"


@dataclass(frozen=True)
class Upserted:
    inserted: int
    updated: int
    unchanged: int
    deferred: int = 0  # rows that could not be written yet (see upsert_thresholds)


def upsert_companies(database_url: str, companies: Sequence[Company]) -> Upserted:
    """Insert or update the companies; rows equal to the generated ones are left alone."""
    inserted = updated = 0
    with psycopg.connect(with_timeouts(database_url)) as conn, conn.cursor() as cur:
        for c in companies:
            cur.execute(UPSERT_COMPANY, (
                c.company_id, c.name, str(c.company_type), c.postal_code, c.address, c.phone,
                c.representative, c.established_on, c.capital_yen, c.employees,
            ))  # fmt: skip
            row = cur.fetchone()
            if row is not None:
                inserted, updated = inserted + bool(row[0]), updated + (not row[0])
    return Upserted(inserted, updated, len(companies) - inserted - updated)


def upsert_thresholds(database_url: str, zones: Sequence[ZoneSpec], wait_s: float) -> Upserted:
    """Seed each zone's low-stock threshold once its 倉庫別区画 row has been projected.

    The table references 倉庫別区画, which the projector writes from ZoneCreated_V1; zones
    still unprojected after ``wait_s`` are reported as deferred (a later load writes them).
    """
    inserted = deferred = 0
    deadline = time.monotonic() + wait_s
    with (
        psycopg.connect(with_timeouts(database_url), autocommit=True) as conn,
        conn.cursor() as cur,
    ):
        waiting = list(zones)
        while waiting:
            still = []
            for zone in waiting:
                if cur.execute(ZONE_PROJECTED, (zone.warehouse_id, zone.zone_no)).fetchone():
                    row = (zone.warehouse_id, zone.zone_no, zone.low_stock_threshold)
                    cur.execute(INSERT_THRESHOLD, row)
                    inserted += cur.fetchone() is not None
                else:
                    still.append(zone)
            waiting = still
            if waiting and time.monotonic() >= deadline:
                deferred = len(waiting)
                break
            if waiting:
                time.sleep(0.5)
    return Upserted(inserted, 0, len(zones) - inserted - deferred, deferred)
