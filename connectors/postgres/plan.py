"""A batch's row changes, gathered per kind and executed in one pipelined round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg

from connectors.postgres import bulk
from connectors.postgres import statements as sql
from connectors.postgres.handlers import aggregate_type_of
from connectors.postgres.prepare import GroupPlan
from connectors.postgres.rows import LedgerRow, ViolationRow
from connectors.postgres.stock import Figures, StockBook
from connectors.postgres.writes import Write
from schemas import EventEnvelope


class BatchPlan:
    """Collects the rows of each aggregate's events (see prepare.py) before writing them.

    Master rows are written statement by statement in event order (they are few). 在庫
    rows are coalesced to their last figures, summaries to one delta per key, positions
    to one row per aggregate; those and the 受払履歴/保管条件違反 rows (keyed by event id)
    are sent as one set-based statement per table, whatever the batch size.
    """

    def __init__(self, stock_before: Mapping[str, Figures]) -> None:
        self.writes: list[Write] = []
        self.stock = StockBook(stock_before)
        self.ledger: list[LedgerRow] = []
        self.violations: list[ViolationRow] = []
        self.last: dict[str, EventEnvelope[Any]] = {}  # per aggregate: its new position

    def add_group(self, aggregate_id: str, group: GroupPlan) -> None:
        """Add all of one aggregate's events; its position becomes the last one's number."""
        if group.error is not None:
            raise group.error
        if not group.contiguous:  # its rows were never computed
            raise ValueError(f"{aggregate_id}: order an irregular group before planning it")
        self.writes.extend(group.writes)
        if group.change is not None:
            self.stock.apply(group.change)
        self.ledger.extend(group.ledger)
        self.violations.extend(group.violations)
        self.last[aggregate_id] = group.envelopes[-1]

    def positions(self) -> list[tuple[str, str, int, str]]:
        """Return the new 投影位置 row of every aggregate in the batch, in key order."""
        rows = []
        for aggregate_id in sorted(self.last):
            meta, event = self.last[aggregate_id].meta, self.last[aggregate_id].event
            rows.append((aggregate_id, aggregate_type_of(event), meta.sequence_nr, meta.event_id))
        return rows

    def execute(self, cursor: psycopg.Cursor[Any]) -> None:
        """Send the batch in one pipeline: master rows in order, then one statement per table."""
        bulk_ledger = len(self.ledger) >= bulk.COPY_THRESHOLD
        if bulk_ledger:
            bulk.copy_ledger(cursor, self.ledger)
        with cursor.connection.pipeline():
            for write in self.writes:
                cursor.execute(write.sql, write.params)
            _set(cursor, sql.UPSERT_STOCK, self.stock.upserts())
            if not bulk_ledger:
                _set(cursor, sql.INSERT_LEDGER, self.ledger)
            _set(cursor, sql.INSERT_VIOLATIONS, self.violations)
            deltas = self.stock.deltas()
            for table, statement in sql.ADD_SUMMARY_DELTAS.items():
                _set(cursor, statement, deltas[table])
            _set(cursor, sql.UPSERT_POSITIONS, self.positions())


def _set(cursor: psycopg.Cursor[Any], statement: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run a set-based statement whose parameters are the columns of ``rows`` as arrays."""
    if rows:
        cursor.execute(statement, [list(column) for column in zip(*rows, strict=True)])
