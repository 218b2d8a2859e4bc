"""Inventory events as effects: new 在庫 figures, a 受払履歴 row, a 保管条件違反 row.

受払区分: StockReceived 入庫, StockIssued 出庫, transfer legs 移動, StockAdjusted 調整.
Reservations change 在庫.引当済数 only (no goods move), so they write no 受払履歴 row.
受払数量 is signed: + into this inventory, - out of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connectors.postgres.rows import Effect, LedgerRow, StockChange, ViolationRow
from domain.enums import TransferDirection
from domain.inventory import events as ev
from schemas import EventMeta

InventoryHandler = Callable[[EventMeta, Any], Effect]


def _zone_no(zone_id: str) -> str:
    # Recorded events carry valid ZoneIds (TKY-01); re-validating costs replay time.
    return zone_id.rpartition("-")[2]


def _change(
    meta: EventMeta, e: Any, zone_no: str, in_transit_delta: int = 0, figures: bool = True
) -> StockChange:
    # Positional arguments and the zone number computed once per event: a replay makes
    # millions of these.
    if figures:
        return StockChange(e.inventory_id, e.product_id, e.warehouse_id, zone_no,
                           meta.occurred_at, e.on_hand_after, e.reserved_after,
                           in_transit_delta)  # fmt: skip
    return StockChange(e.inventory_id, e.product_id, e.warehouse_id, zone_no, meta.occurred_at,
                       None, None, in_transit_delta)  # fmt: skip


def _ledger(
    meta: EventMeta, e: Any, zone_no: str, kind: str, quantity: int, **extra: Any
) -> LedgerRow:
    return LedgerRow(
        meta.event_id, meta.occurred_at, e.inventory_id, meta.sequence_nr, e.product_id,
        e.warehouse_id, zone_no, kind, quantity, e.on_hand_after, e.operator, e.note, **extra,
    )  # fmt: skip


def _created(meta: EventMeta, e: ev.InventoryCreated_V1) -> Effect:
    return Effect(_change(meta, e, _zone_no(e.zone_id), figures=False))


def _received(meta: EventMeta, e: ev.StockReceived_V1) -> Effect:
    zone_no = _zone_no(e.zone_id)
    return Effect(_change(meta, e, zone_no), _ledger(meta, e, zone_no, "入庫", e.quantity))


def _issued(meta: EventMeta, e: ev.StockIssued_V1) -> Effect:
    zone_no = _zone_no(e.zone_id)
    return Effect(_change(meta, e, zone_no), _ledger(meta, e, zone_no, "出庫", -e.quantity))


def _reservation(meta: EventMeta, e: ev.StockReserved_V1 | ev.StockReleased_V1) -> Effect:
    return Effect(_change(meta, e, _zone_no(e.zone_id)))


def _adjusted(meta: EventMeta, e: ev.StockAdjusted_V1) -> Effect:
    zone_no = _zone_no(e.zone_id)
    ledger = _ledger(meta, e, zone_no, "調整", e.delta, reason=str(e.reason))
    return Effect(_change(meta, e, zone_no), ledger)


def _transferred(meta: EventMeta, e: ev.StockTransferred_V1 | ev.ZoneTransferred_V1) -> Effect:
    here = (e.warehouse_id, _zone_no(e.zone_id))
    there = (e.counterpart_warehouse_id, _zone_no(e.counterpart_zone_id))
    if e.direction == TransferDirection.IN:
        quantity, in_transit, (source, target) = e.quantity, 0, (there, here)
    elif e.direction == TransferDirection.OUT:
        quantity, in_transit, (source, target) = -e.quantity, e.quantity, (here, there)
    else:  # RETURN: the refused units come back to the source, no longer in transit
        quantity, in_transit, (source, target) = e.quantity, -e.quantity, (here, there)
    ledger = _ledger(
        meta, e, here[1], "移動", quantity, transfer_id=e.transfer_id, direction=str(e.direction),
        from_warehouse=source[0], from_zone_no=source[1],
        to_warehouse=target[0], to_zone_no=target[1],
    )  # fmt: skip
    return Effect(_change(meta, e, here[1], in_transit_delta=in_transit), ledger)


def _completed(meta: EventMeta, e: ev.TransferCompleted_V1) -> Effect:
    zone_no = _zone_no(e.zone_id)
    return Effect(_change(meta, e, zone_no, in_transit_delta=-e.quantity, figures=False))


def _violated(meta: EventMeta, e: ev.StorageConditionViolated_V1) -> Effect:
    row = ViolationRow(
        meta.event_id, e.inventory_id, e.product_id, e.warehouse_id, _zone_no(e.zone_id),
        str(e.storage_condition), str(e.zone_type), e.attempted_command, e.quantity,
        e.transfer_id, meta.occurred_at,
    )  # fmt: skip
    return Effect(violation=row)


HANDLERS: dict[type[Any], InventoryHandler] = {
    ev.InventoryCreated_V1: _created,
    ev.StockReceived_V1: _received,
    ev.StockIssued_V1: _issued,
    ev.StockReserved_V1: _reservation,
    ev.StockReleased_V1: _reservation,
    ev.StockAdjusted_V1: _adjusted,
    ev.StockTransferred_V1: _transferred,
    ev.ZoneTransferred_V1: _transferred,
    ev.TransferCompleted_V1: _completed,
    ev.StorageConditionViolated_V1: _violated,
}
