"""A batch's row changes, gathered per kind and executed in one pipelined round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg

from connectors.postgres import bulk
from connectors.postgres import statements as sql
from connectors.postgres.handlers import (
    INVENTORY_HANDLERS,
    MASTER_HANDLERS,
    UnprojectableEventError,
    aggregate_type_of,
)
from connectors.postgres.rows import LedgerRow, ViolationRow
from connectors.postgres.stock import Figures, StockBook
from connectors.postgres.writes import Write
from schemas import EventEnvelope


class BatchPlan:
    """Collects the effects of events (given in order per aggregate) before writing them.

    Master rows are written statement by statement in event order (they are few). 在庫
    rows are coalesced to their last figures, and 受払履歴/保管条件違反 rows are keyed by
    event id, so those are sent as one executemany each, whatever the batch size.
    """

    def __init__(self, stock_before: Mapping[str, Figures]) -> None:
        self.writes: list[Write] = []
        self.stock = StockBook(stock_before)
        self.ledger: list[LedgerRow] = []
        self.violations: list[ViolationRow] = []
        self.positions: dict[str, tuple[str, str, int, str]] = {}

    def add(self, envelope: EventEnvelope[Any]) -> None:
        """Add one event's effects; its aggregate's position becomes its sequence number."""
        meta, event = envelope.meta, envelope.event
        kind = type(event)
        if kind in INVENTORY_HANDLERS:
            effect = INVENTORY_HANDLERS[kind](meta, event)
            if effect.change is not None:
                self.stock.apply(effect.change)
            if effect.ledger is not None:
                self.ledger.append(effect.ledger)
            if effect.violation is not None:
                self.violations.append(effect.violation)
        elif kind in MASTER_HANDLERS:
            self.writes.extend(MASTER_HANDLERS[kind](meta, event))
        else:
            raise UnprojectableEventError(kind.__name__)
        self.positions[meta.aggregate_id] = (
            meta.aggregate_id,
            aggregate_type_of(event),
            meta.sequence_nr,
            meta.event_id,
        )

    def execute(self, cursor: psycopg.Cursor[Any]) -> None:
        """Send every statement in one pipeline (no round trip per row); COPY big ledgers."""
        bulk_ledger = len(self.ledger) >= bulk.COPY_THRESHOLD
        if bulk_ledger:
            bulk.copy_ledger(cursor, self.ledger)
        with cursor.connection.pipeline():
            for write in self.writes:
                cursor.execute(write.sql, write.params)
            _many(cursor, sql.UPSERT_STOCK, self.stock.upserts())
            if not bulk_ledger:
                _many(cursor, sql.INSERT_LEDGER, self.ledger)
            _many(cursor, sql.INSERT_VIOLATION, self.violations)
            deltas = self.stock.deltas()
            for table, statement in sql.ADD_SUMMARY_DELTAS.items():
                _many(cursor, statement, deltas[table])
            _many(cursor, sql.UPSERT_POSITION, [self.positions[k] for k in sorted(self.positions)])


def _many(cursor: psycopg.Cursor[Any], statement: str, rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        cursor.executemany(statement, rows)
