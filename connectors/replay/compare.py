"""Compare two schemas' read models: row count and content checksum per projected table.

Columns that record when the projector ran rather than what the events said are left
out: 投影位置.更新日時 (now() at projection) and the summaries' 更新日時 (the latest event
time of the batch that touched the row, so it depends on how events were batched).
Everything else, generated columns included, must match exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

# The tables the event projector fills, with their keys (for naming differing rows).
PROJECTED: dict[str, tuple[str, ...]] = {
    "商品": ("商品ID",),
    "取引先": ("取引先ID",),
    "倉庫": ("倉庫コード",),
    "倉庫別区画": ("倉庫コード", "区画番号"),
    "在庫": ("在庫ID",),
    "受払履歴": ("受払履歴No",),
    "保管条件違反": ("イベントID",),
    "商品別在庫集計": ("商品ID",),
    "倉庫別在庫集計": ("倉庫コード",),
    "区画別在庫集計": ("倉庫コード", "区画番号"),
    "投影位置": ("集約ID",),
}
PROJECTION_TIME: dict[str, frozenset[str]] = {
    "投影位置": frozenset({"更新日時"}),
    "商品別在庫集計": frozenset({"更新日時"}),
    "倉庫別在庫集計": frozenset({"更新日時"}),
    "区画別在庫集計": frozenset({"更新日時"}),
}
SAMPLE = 5


@dataclass(frozen=True)
class TableSummary:
    """A table's row count and an order-independent checksum of its compared columns."""

    rows: int
    checksum: int


@dataclass
class TableDiff:
    """How one table differs: counts, checksums, and a few keys found only on each side."""

    table: str
    left: TableSummary
    right: TableSummary
    only_left: list[tuple[Any, ...]] = field(default_factory=list)
    only_right: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Comparison:
    """Per-table summaries of both sides and the tables that differ."""

    left: str
    right: str
    tables: dict[str, tuple[TableSummary, TableSummary]]
    differences: list[TableDiff]

    @property
    def equal(self) -> bool:
        """Return True when no table differs."""
        return not self.differences


def compared_columns(conn: psycopg.Connection[Any], schema: str, table: str) -> list[str]:
    """Return the table's columns in order, without the projection-time ones."""
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
        (schema, table),
    ).fetchall()
    skip = PROJECTION_TIME.get(table, frozenset())
    return [name for (name,) in rows if name not in skip]


def _row_text(columns: list[str]) -> sql.Composable:
    return sql.SQL("ROW({})::text").format(sql.SQL(", ").join(map(sql.Identifier, columns)))


def summarize(conn: psycopg.Connection[Any], schema: str, table: str) -> TableSummary:
    """Return the row count and the sum of 64-bit hashes of each row's text."""
    query = sql.SQL(
        "SELECT count(*), coalesce(sum(hashtextextended({row}, 0)::numeric), 0) FROM {s}.{t}"
    ).format(row=_row_text(compared_columns(conn, schema, table)),
             s=sql.Identifier(schema), t=sql.Identifier(table))  # fmt: skip
    count, checksum = conn.execute(query).fetchone() or (0, 0)
    return TableSummary(int(count), int(checksum))


def _only_in(
    conn: psycopg.Connection[Any], table: str, columns: list[str], first: str, second: str
) -> list[tuple[Any, ...]]:
    keys = [key.lower() for key in PROJECTED[table]]  # unquoted in the DDL: ASCII folded
    query = sql.SQL(
        "SELECT {keys} FROM (SELECT {cols} FROM {a}.{t} EXCEPT SELECT {cols} FROM {b}.{t}) d"
        " ORDER BY {keys} LIMIT {n}"
    ).format(
        keys=sql.SQL(", ").join(map(sql.Identifier, keys)),
        cols=sql.SQL(", ").join(map(sql.Identifier, columns)),
        a=sql.Identifier(first), b=sql.Identifier(second), t=sql.Identifier(table),
        n=sql.Literal(SAMPLE),
    )  # fmt: skip
    return [tuple(row) for row in conn.execute(query).fetchall()]


def compare_schemas(conn: psycopg.Connection[Any], left: str, right: str) -> Comparison:
    """Compare every projected table of schema ``left`` with the same table in ``right``."""
    result = Comparison(left, right, {}, [])
    for table in PROJECTED:
        a, b = summarize(conn, left, table), summarize(conn, right, table)
        result.tables[table] = (a, b)
        if a == b:
            continue
        diff = TableDiff(table, a, b)
        columns = compared_columns(conn, left, table)
        if columns == compared_columns(conn, right, table):
            diff.only_left = _only_in(conn, table, columns, left, right)
            diff.only_right = _only_in(conn, table, columns, right, left)
        result.differences.append(diff)
    return result


def describe(comparison: Comparison) -> list[str]:
    """Return one line per difference (empty when both sides are equal)."""
    lines = []
    for d in comparison.differences:
        lines.append(
            f"{d.table}: {comparison.left} {d.left.rows} rows, {comparison.right} {d.right.rows}"
            f" rows, checksums {'equal' if d.left.checksum == d.right.checksum else 'differ'}"
        )
        for side, keys in ((comparison.left, d.only_left), (comparison.right, d.only_right)):
            if keys:
                shown = ", ".join("/".join(map(str, k)) for k in keys)
                lines.append(f"  only in {side} (first {SAMPLE}): {shown}")
    return lines
