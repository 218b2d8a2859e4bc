"""Large batches of 受払履歴 rows go through COPY into a staging table (replay speed).

COPY cannot skip duplicates, so rows are copied into a per-connection temporary table
and moved with INSERT … SELECT … ON CONFLICT DO NOTHING: redelivered events stay no-ops.
The staging table empties itself at commit (ON COMMIT DELETE ROWS).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

COPY_THRESHOLD = 200  # below this, one pipelined executemany is as fast and simpler

LEDGER_COLUMNS = (
    "受払履歴No, 受払日時, 在庫ID, シーケンス番号, 商品ID, 倉庫コード, 区画番号, 受払区分,"
    " 受払数量, 受払後在庫数, 操作者, 備考, 調整理由, 移動ID, 移動方向, 移動元倉庫コード,"
    " 移動元区画番号, 移動先倉庫コード, 移動先区画番号"
)
CREATE_STAGING = """
CREATE TEMP TABLE IF NOT EXISTS 受払履歴_取込 (LIKE 受払履歴) ON COMMIT DELETE ROWS
"""
COPY_STAGING = f"COPY 受払履歴_取込 ({LEDGER_COLUMNS}) FROM STDIN"
MOVE_STAGING = f"""
INSERT INTO 受払履歴 ({LEDGER_COLUMNS}) SELECT {LEDGER_COLUMNS} FROM 受払履歴_取込
ON CONFLICT DO NOTHING
"""


def copy_ledger(cursor: psycopg.Cursor[Any], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` into 受払履歴 through COPY, ignoring event ids already present."""
    cursor.execute(CREATE_STAGING)
    with cursor.copy(COPY_STAGING) as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(MOVE_STAGING)
