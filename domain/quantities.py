"""Counted units of stock: non-negative for levels, strictly positive for movements."""

from __future__ import annotations

from typing import Self

from domain.errors import ValidationError


class Quantity(int):
    """A non-negative whole number of units (bool and float are refused)."""

    def __new__(cls, value: object) -> Self:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"quantity must be an int, got {value!r}", field="quantity")
        if value < cls.minimum():
            raise ValidationError(
                f"quantity must be >= {cls.minimum()}, got {value}", field="quantity"
            )
        return super().__new__(cls, value)

    @classmethod
    def minimum(cls) -> int:
        return 0


class PositiveQuantity(Quantity):
    """The size of a movement: moving zero or fewer units is meaningless."""

    @classmethod
    def minimum(cls) -> int:
        return 1


def nonzero_delta(value: object) -> int:
    """Validate a signed adjustment: an int other than zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value == 0:
        raise ValidationError(f"delta must be a non-zero int, got {value!r}", field="delta")
    return value
