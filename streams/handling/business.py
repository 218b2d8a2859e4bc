"""The seed's §11.1 business metrics from what the worker decides: 受払 and 引当.

受払 is counted from the inventory events of a successful journal append, so each
movement once (a redelivered command is answered from the journal, never appended
again). A transfer counts as one 移動, on its OUT leg. 引当 is counted from each
ReserveStock's final outcome, and a placement a zone refused for its storage
condition counts as a failed 引当 too (the seed's 引当失敗 notification names both).
Only a batch given up while the worker stops (answered again after a restart) can
count its 引当 twice. The transfer manager's own steps (IN legs, compensations) are
not client commands and are not counted in 引当.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from connectors.eventstore.port import CommandOutcome
from domain.aggregate import Absent
from domain.enums import TransferDirection
from domain.errors import StorageConditionViolationError
from domain.ids import InventoryId
from domain.inventory import REFS_COMMANDS
from domain.inventory.commands import ReserveStock
from domain.inventory.events import (
    StockAdjusted_V1,
    StockIssued_V1,
    StockReceived_V1,
    StockReserved_V1,
    StockTransferred_V1,
    ZoneTransferred_V1,
)
from streams.handling.loader import StateLoader
from streams.metrics import RESERVATIONS, STOCK_MOVED_UNITS, STOCK_MOVEMENTS

log = logging.getLogger(__name__)
RECEIPT, ISSUE, TRANSFER, ADJUSTMENT = "入庫", "出庫", "移動", "調整"
UNKNOWN = ""
_VIOLATION = StorageConditionViolationError.code


def movement_of(event: Any) -> tuple[str, int] | None:
    """Return the 受払 kind and units of an inventory event, or None if it moves nothing."""
    if isinstance(event, StockReceived_V1):
        return RECEIPT, event.quantity
    if isinstance(event, StockIssued_V1):
        return ISSUE, event.quantity
    if isinstance(event, StockAdjusted_V1):
        return ADJUSTMENT, abs(event.delta)
    is_leg = isinstance(event, StockTransferred_V1 | ZoneTransferred_V1)
    if is_leg and event.direction == TransferDirection.OUT:
        return TRANSFER, event.quantity
    return None


def count_movements(events: Iterable[Any]) -> None:
    """Count the 受払 of events just appended to the journal."""
    for event in events:
        movement = movement_of(event)
        if movement is not None:
            kind, units = movement
            STOCK_MOVEMENTS.labels(kind, event.warehouse_id).inc()
            STOCK_MOVED_UNITS.labels(kind, event.warehouse_id).inc(units)


def count_reservation(loader: StateLoader, command: Any, outcome: CommandOutcome) -> None:
    """Count a 引当 from a command's final outcome (other commands: nothing)."""
    if isinstance(command, ReserveStock):
        if outcome.status == "ACCEPTED":
            if StockReserved_V1.__name__ not in outcome.event_types:
                return  # a reservation id seen before: no new 引当
            result, code = "success", ""
        else:
            result, code = "failure", outcome.error_code or ""
    elif isinstance(command, REFS_COMMANDS) and outcome.error_code == _VIOLATION:
        result, code = "failure", _VIOLATION
    else:
        return
    warehouse, zone_type, storage_condition = stock_labels(loader, command.inventory_id)
    zone = command.inventory_id.rpartition("@")[2] or UNKNOWN  # a zone id: bounded by zones
    RESERVATIONS.labels(warehouse, zone, zone_type, storage_condition, result, code).inc()


def stock_labels(loader: StateLoader, inventory_id: str) -> tuple[str, str, str]:
    """Return the inventory's warehouse, its zone's type and its product's storage condition.

    Read through the worker's state cache: the commands that place stock load the
    zone and product there, so this costs a read only for one unknown to this worker.
    """
    try:
        ids = InventoryId(inventory_id)
    except Exception:
        return UNKNOWN, UNKNOWN, UNKNOWN
    return (str(ids.warehouse_id), _fact(loader, "warehouse-zone", str(ids.zone_id), "zone_type"),
            _fact(loader, "product", str(ids.product_id), "storage_condition"))  # fmt: skip


def _fact(loader: StateLoader, aggregate_type: str, aggregate_id: str, name: str) -> str:
    try:
        state = loader.load(aggregate_type, aggregate_id).state
    except Exception:
        log.debug("no %s of %s for the 引当 metrics", name, aggregate_id, exc_info=True)
        return UNKNOWN
    value = None if isinstance(state, Absent) else getattr(state, name, None)
    return UNKNOWN if value is None else str(value.value if hasattr(value, "value") else value)
