"""Large batches of 受払履歴 rows go straight into the table through COPY (replay speed).

COPY cannot skip duplicates, and it needs not: a ledger row is written in the same
transaction as its inventory's 投影位置, and only events after the recorded position
reach the plan (duplicates within a batch are dropped before). So no ledger row of
these events can exist yet; if one ever did (a hand-edited table), COPY fails with a
unique violation and the whole batch rolls back - detected, not papered over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

COPY_THRESHOLD = 200  # below this, one set-based INSERT is as fast and simpler

LEDGER_COLUMNS = (
    "受払履歴No, 受払日時, 在庫ID, シーケンス番号, 商品ID, 倉庫コード, 区画番号, 受払区分,"
    " 受払数量, 受払後在庫数, 操作者, 備考, 調整理由, 移動ID, 移動方向, 移動元倉庫コード,"
    " 移動元区画番号, 移動先倉庫コード, 移動先区画番号"
)
COPY_LEDGER = f"COPY 受払履歴 ({LEDGER_COLUMNS}) FROM STDIN (FORMAT binary)"
# Binary COPY: the server takes integers and timestamps as they are instead of parsing
# text, and psycopg packs a row in a third of the time it takes to format it as text.
# The varchar/char columns receive text values (their binary form is the text's bytes).
LEDGER_TYPES = (
    "text", "timestamptz", "text", "bigint", "text", "text", "text", "text", "integer",
    "integer", "text", "text", "text", "text", "text", "text", "text", "text", "text",
)  # fmt: skip


# Binary COPY packs a Python int into an "integer" column's 4 bytes without a range
# check: 2**32 + 5 arrives as 5 (measured with psycopg 3.3.9). So the two integer columns
# are checked here, and refused the way the server refuses them elsewhere.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
QUANTITY, STOCK_AFTER = 8, 9  # the "integer" columns of LEDGER_TYPES


def copy_ledger(cursor: psycopg.Cursor[Any], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (events after their inventory's recorded position) into 受払履歴.

    Raises ``NumericValueOutOfRange`` (a DataError) for a value the columns cannot hold.
    """
    with cursor.copy(COPY_LEDGER) as copy:
        copy.set_types(LEDGER_TYPES)
        for row in rows:
            if not (INT_MIN <= row[QUANTITY] <= INT_MAX and INT_MIN <= row[STOCK_AFTER] <= INT_MAX):
                raise out_of_range(row)
            try:
                copy.write_row(row)
            except (OverflowError, ValueError) as e:  # e.g. a sequence number beyond bigint
                raise out_of_range(row) from e


def out_of_range(row: Sequence[Any]) -> psycopg.errors.NumericValueOutOfRange:
    """Return the error the server would raise for a ledger row it cannot hold."""
    return psycopg.errors.NumericValueOutOfRange(
        f"受払履歴 row of event {row[0]} has a value out of range: quantity {row[QUANTITY]},"
        f" stock after {row[STOCK_AFTER]}, sequence number {row[3]}"
    )
