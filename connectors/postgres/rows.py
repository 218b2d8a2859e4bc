"""The rows an inventory event turns into: 在庫 figures, 受払履歴 and 保管条件違反.

Named tuples rather than dataclasses: a replay builds millions of them.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class StockChange(NamedTuple):
    """The figures of one 在庫 row after an event (None: unchanged)."""

    inventory_id: str
    product_id: str
    warehouse_id: str
    zone_no: str
    at: dt.datetime
    on_hand: int | None = None
    reserved: int | None = None
    in_transit_delta: int = 0


class LedgerRow(NamedTuple):
    """A 受払履歴 row, in the column order of ``INSERT_LEDGER``."""

    event_id: str
    at: dt.datetime
    inventory_id: str
    sequence_nr: int
    product_id: str
    warehouse_id: str
    zone_no: str
    kind: str
    quantity: int
    on_hand_after: int
    operator: str | None
    note: str | None
    reason: str | None = None
    transfer_id: str | None = None
    direction: str | None = None
    from_warehouse: str | None = None
    from_zone_no: str | None = None
    to_warehouse: str | None = None
    to_zone_no: str | None = None


class ViolationRow(NamedTuple):
    """A 保管条件違反 row, in the column order of ``INSERT_VIOLATION``."""

    event_id: str
    inventory_id: str
    product_id: str
    warehouse_id: str
    zone_no: str
    storage_condition: str
    zone_type: str
    attempted_command: str
    quantity: int
    transfer_id: str | None
    at: dt.datetime


class Effect(NamedTuple):
    """What one inventory event does to the read model."""

    change: StockChange | None = None
    ledger: LedgerRow | None = None
    violation: ViolationRow | None = None
