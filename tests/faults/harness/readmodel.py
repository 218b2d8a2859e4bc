"""Compare the PostgreSQL read model with the journal for a scenario's aggregates.

Duplicates show up as: a 受払履歴 row twice for one (在庫ID, シーケンス番号), more rows than
the journal has movement events, 受払数量 summing past 現在庫数, 在庫 figures off the
journal's fold, or summary rows off the sums of their 在庫 rows.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import psycopg

from connectors.postgres.conninfo import with_timeouts
from domain import inventory
from domain.aggregate import fold_with
from schemas import decode_event
from tests.faults.harness.journal import Journal

MOVEMENTS = frozenset({"StockReceived_V1", "StockIssued_V1", "StockAdjusted_V1",
                       "StockTransferred_V1", "ZoneTransferred_V1"})  # fmt: skip
SUMMARIES = {  # table -> (key columns, how 在庫 rows are grouped to match it)
    "商品別在庫集計": ("商品ID", "商品ID"),
    "倉庫別在庫集計": ("倉庫コード", "倉庫コード"),
    "区画別在庫集計": ("倉庫コード || '-' || 区画番号", "倉庫コード || '-' || 区画番号"),
}
LEDGER = (
    "SELECT 在庫ID, シーケンス番号, count(*), sum(受払数量) FROM 受払履歴"
    " WHERE 在庫ID = ANY(%s) GROUP BY 1, 2"
)
STOCK = "SELECT 在庫ID, 現在庫数, 引当済数, 移動中数 FROM 在庫 WHERE 在庫ID = ANY(%s)"
FIGURES = "現在庫数, 引当済数, 移動中数, 在庫行数"
SUMS = "sum(現在庫数), sum(引当済数), sum(移動中数), count(*)"


def positions(url: str, aggregate_ids: Collection[str]) -> dict[str, int]:
    """Return 投影位置 of the given aggregates (absent ones are missing)."""
    with psycopg.connect(with_timeouts(url), autocommit=True) as conn:
        rows = conn.execute("SELECT 集約ID, 適用済シーケンス番号 FROM 投影位置"
                            " WHERE 集約ID = ANY(%s)", (list(aggregate_ids),))  # fmt: skip
        return {str(a): int(s) for a, s in rows}


def lagging(url: str, journal: Journal) -> dict[str, tuple[int, int]]:
    """Return aggregates whose 投影位置 differs from the journal: id -> (journal, position)."""
    at = positions(url, list(journal.entries))
    return {a: (journal.last_seq(a), at.get(a, 0)) for a in journal.entries
            if journal.last_seq(a) != at.get(a, 0)}  # fmt: skip


def findings(
    url: str, journal: Journal, inventories: Collection[str], scope: dict[str, list[str]] | None
) -> list[str]:
    """Return every duplicate or mismatch in 受払履歴, 在庫 and the summary tables.

    ``scope`` maps a summary table to its keys to compare (None: every row).
    """
    found: list[str] = []
    ids = list(inventories)
    with psycopg.connect(with_timeouts(url), autocommit=True) as conn, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one snapshot
        ledger = conn.execute(LEDGER, (ids,)).fetchall()
        stock = {str(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in conn.execute(STOCK, (ids,))}
        for table, (key, group) in SUMMARIES.items():
            found += _summary(conn, table, key, group, None if scope is None else scope[table])
    rows: dict[str, dict[int, int]] = {}
    signed: dict[str, int] = {}
    for inventory_id, seq, copies, quantity in ledger:
        rows.setdefault(inventory_id, {})[int(seq)] = int(copies)
        signed[inventory_id] = signed.get(inventory_id, 0) + int(quantity)
        if copies > 1:
            found.append(f"受払履歴 {inventory_id} seq {seq}: {copies} rows")
    for inventory_id in ids:
        events = journal.events(inventory_id)
        moved = {e.seq_nr for e in events if e.event_type in MOVEMENTS}
        have = set(rows.get(inventory_id, {}))
        if have != moved:
            found.append(f"受払履歴 {inventory_id}: rows at {_short(have - moved)} not in the"
                         f" journal, journal movements {_short(moved - have)} missing")  # fmt: skip
        expected = fold(events)
        actual = stock.get(inventory_id)
        if expected != actual:
            found.append(f"在庫 {inventory_id} (現在庫数, 引当済数, 移動中数): journal {expected},"
                         f" read model {actual}")  # fmt: skip
        if actual is not None and signed.get(inventory_id, 0) != actual[0]:
            found.append(f"受払履歴 {inventory_id}: 受払数量 sum {signed.get(inventory_id, 0)}"
                         f" != 現在庫数 {actual[0]}")  # fmt: skip
    return found


def _summary(
    conn: psycopg.Connection[Any], table: str, key: str, group: str, keys: list[str] | None
) -> list[str]:
    where, args = ("", ()) if keys is None else (f" WHERE {key} = ANY(%s)", (keys,))
    group_where = "" if keys is None else f" WHERE {group} = ANY(%s)"
    summary = {str(r[0]): tuple(int(x) for x in r[1:]) for r in conn.execute(
        f"SELECT {key}, {FIGURES} FROM {table}{where}", args)}  # fmt: skip
    sums = {str(r[0]): tuple(int(x) for x in r[1:]) for r in conn.execute(
        f"SELECT {group}, {SUMS} FROM 在庫{group_where} GROUP BY 1", args)}  # fmt: skip
    zero = (0, 0, 0, 0)
    return [
        f"{table} {k}: summary {summary.get(k, zero)} != sum of 在庫 {sums.get(k, zero)}"
        for k in sorted(set(summary) | set(sums))
        if summary.get(k, zero) != sums.get(k, zero)
    ]


def fold(events: list[Any]) -> tuple[int, int, int] | None:
    """Return (on hand, reserved, units in transit out) the journal's events give, if created."""
    if not events:
        return None
    state = fold_with(inventory.evolve, [decode_event(e.payload, upcast=False).event
                                         for e in events])  # fmt: skip
    if not isinstance(state, inventory.Inventory):
        return None
    return (state.on_hand, state.reserved, state.pending_outbound)


def _short(seqs: set[int]) -> str:
    listed = sorted(seqs)
    more = ", …" if len(listed) > 8 else ""
    return "{" + ", ".join(map(str, listed[:8])) + more + "}"
