"""引当失敗: one open notification per inventory, RAISED at a refusal, CLEARED at a success.

An inventory's commands all go to one partition, so one worker answers them at a time;
the open notification lives in Redis all the same, so that a restarted worker (or the
one a rebalance hands the partition to) neither raises it twice nor forgets to clear it.
It clears when the inventory next accepts a command of the type that was refused (the
next accepted ReserveStock after a shortage; the next accepted ReceiveStock after a
storage-condition refusal of one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.notifications.records import Kind, State, notification, notification_id
from connectors.notifications.shared import SharedState
from domain.errors import DomainError
from domain.ids import InventoryId
from schemas import Notification

SHORTAGE_CODES = frozenset({"RESERVATION_EXCEEDS_ON_HAND", "INSUFFICIENT_STOCK"})
STORAGE_CODE = "STORAGE_CONDITION_VIOLATION"


@dataclass(frozen=True)
class Answered:
    """What the worker answered one inventory command (the fields 引当失敗 needs)."""

    command_id: str
    command_type: str
    inventory_id: str
    accepted: bool
    code: str | None = None
    message: str | None = None


def is_allocation_failure(answer: Answered) -> bool:
    """Tell whether a refusal is an 引当失敗 (shortage of a reservation, storage mismatch)."""
    if answer.accepted or answer.code is None:
        return False
    shortage = answer.command_type == "ReserveStock" and answer.code in SHORTAGE_CODES
    return shortage or answer.code == STORAGE_CODE


class AllocationWatch:
    """Turns answered inventory commands into 引当失敗 notifications, state in Redis."""

    def __init__(self, shared: SharedState) -> None:
        self.shared = shared

    def notice(self, answers: list[Answered]) -> tuple[list[Notification], list[str]]:
        """Return the notifications to publish, and the inventories to close once published.

        Two Redis calls per batch whatever its size: one read of the open failures of
        its inventories, one write of those it opens. An inventory lives on one
        partition, so one worker at a time decides its failures.
        """
        relevant = [a for a in answers if a.accepted or is_allocation_failure(a)]
        if not relevant:
            return [], []
        opened = self.shared.allocations(sorted({a.inventory_id for a in relevant}))
        out: list[Notification] = []
        closing: list[str] = []
        writes: dict[str, dict[str, Any]] = {}
        for a in relevant:
            inventory = a.inventory_id
            if is_allocation_failure(a):
                own = notification_id(Kind.ALLOCATION_FAILED, State.RAISED, inventory,
                                      a.command_id)  # fmt: skip
                current = opened.get(inventory)
                if current is None or inventory in closing:  # new, or failing again
                    if inventory in closing:
                        closing.remove(inventory)
                    opened[inventory] = writes[inventory] = {
                        "id": own, "command_type": a.command_type, "code": a.code}  # fmt: skip
                    out.append(_raised(a))
                elif current["id"] == own:  # the same refusal redelivered
                    out.append(_raised(a))
            elif inventory not in closing:
                current = opened.get(inventory)
                if current is not None and current["command_type"] == a.command_type:
                    out.append(_cleared(a, current["id"], current.get("code")))
                    closing.append(inventory)
        self.shared.open_allocations(writes)
        return out, closing


def _where(inventory_id: str) -> dict[str, str | None]:
    try:
        inv = InventoryId(inventory_id)
    except DomainError:
        return {}
    return {"product_id": inv.product_id, "warehouse_id": inv.warehouse_id,
            "zone_id": inv.zone_id}  # fmt: skip


def _raised(a: Answered) -> Notification:
    text = f"{a.command_type} を拒否しました [{a.code}] {a.message or ''}".strip()
    return notification(Kind.ALLOCATION_FAILED, State.RAISED, a.inventory_id, a.command_id,
                        text, code=a.code, **_where(a.inventory_id))  # fmt: skip


def _cleared(a: Answered, raised_id: str, code: str | None) -> Notification:
    text = f"{a.command_type} が受け付けられました (コマンド {a.command_id})"
    return notification(Kind.ALLOCATION_FAILED, State.CLEARED, a.inventory_id, raised_id,
                        text, code=code, **_where(a.inventory_id))  # fmt: skip
