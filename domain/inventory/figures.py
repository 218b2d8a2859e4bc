"""Fields every movement event carries: after-values and who did it."""

from __future__ import annotations

from typing import Protocol, TypedDict

from domain.inventory.state import Inventory


class AfterValues(TypedDict):
    on_hand_after: int
    reserved_after: int
    available_after: int


class Attribution(TypedDict):
    operator: str | None
    note: str | None


class Attributed(Protocol):
    @property
    def operator(self) -> str | None: ...

    @property
    def note(self) -> str | None: ...


def after(state: Inventory, on_hand: int, reserved: int | None = None) -> AfterValues:
    """Return the after-values (現在庫数, 引当済数, 有効在庫数) a movement event carries."""
    reserved = state.reserved if reserved is None else reserved
    return AfterValues(
        on_hand_after=on_hand, reserved_after=reserved, available_after=on_hand - reserved
    )


def by(command: Attributed) -> Attribution:
    """Return who did a movement and why (操作者, 備考)."""
    return Attribution(operator=command.operator, note=command.note)
