"""Counted units of stock: bounded levels (≥ 0) and bounded movements (≥ 1)."""

from __future__ import annotations

from typing import Self

from domain.errors import ValidationError
from domain.limits import MAX_ON_HAND, MAX_QUANTITY


class Quantity(int):
    """A whole number of units 0…MAX_ON_HAND (bool and float are refused)."""

    def __new__(cls, value: object) -> Self:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"quantity must be an int, got {value!r}", field="quantity")
        if not cls.minimum() <= value <= cls.maximum():
            raise ValidationError(
                f"quantity must be {cls.minimum():,}…{cls.maximum():,}, got {value:,}",
                field="quantity",
            )
        return super().__new__(cls, value)

    @classmethod
    def minimum(cls) -> int:
        return 0

    @classmethod
    def maximum(cls) -> int:
        return MAX_ON_HAND


class PositiveQuantity(Quantity):
    """The size of a movement: moving zero units is meaningless, more than fits is refused."""

    @classmethod
    def minimum(cls) -> int:
        return 1

    @classmethod
    def maximum(cls) -> int:
        return MAX_QUANTITY
