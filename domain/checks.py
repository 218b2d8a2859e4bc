"""Field checks: a validator and the sentence that documents it, built from the limits.

A command declares each field's check once, as `Annotated[type, CHECK]`; the command
runs it on construction and the schema generator writes `CHECK.doc` into the Avro
field's doc.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.errors import ValidationError
from domain.limits import LINE_BREAKS


@dataclass(frozen=True)
class Check:
    """A field's validator (raises ValidationError) and its one-line description."""

    validate: Callable[[Any], object]
    doc: str

    def __call__(self, value: object) -> object:
        return self.validate(value)


def _refuse(message: str, label: str) -> ValidationError:
    return ValidationError(message, field=label)


def control_characters(value: str, allowed: str = "") -> list[str]:
    """Return the characters PostgreSQL or UTF-8 cannot hold or a screen cannot show.

    Control characters (NUL first: PostgreSQL text refuses it) and lone surrogates,
    which cannot be encoded as UTF-8 at all.
    """
    return [c for c in value if c not in allowed and unicodedata.category(c) in ("Cc", "Cs")]


def text(max_length: int, *, blank_ok: bool = False, multiline: bool = False) -> Check:
    """Build the check of a free-text field of at most `max_length` characters."""
    allowed = LINE_BREAKS if multiline else ""

    def check(value: object) -> str:
        if not isinstance(value, str):
            raise _refuse(f"expected text, got {value!r}", "text")
        if not blank_ok and not value.strip():
            raise _refuse("text must not be blank", "text")
        if len(value) > max_length:
            raise _refuse(f"text longer than {max_length} characters", "text")
        if bad := control_characters(value, allowed):
            raise _refuse(f"text holds control character {bad[0]!r}", "text")
        return value

    lines = "line breaks and tabs allowed" if multiline else "one line"
    blank = "may be empty" if blank_ok else "not blank"
    doc = f"text, at most {max_length:,} characters, {blank}, {lines}, no control characters"
    return Check(check, doc)


def whole(minimum: int, maximum: int, *, label: str, nonzero: bool = False) -> Check:
    """Build the check of an int field within [minimum, maximum] (bool refused)."""

    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _refuse(f"{label} must be an int, got {value!r}", label)
        if not minimum <= value <= maximum or (nonzero and value == 0):
            zero = ", not 0" if nonzero else ""
            raise _refuse(f"{label} must be {minimum:,}…{maximum:,}{zero}, got {value:,}", label)
        return value

    doc = f"whole number {minimum:,}…{maximum:,}" + (", not 0" if nonzero else "")
    return Check(check, doc)


def decimal(minimum: float, maximum: float, places: int, *, label: str) -> Check:
    """Build the check of a finite number within [minimum, maximum] with `places` decimals.

    The read model stores it as numeric(p, places): a value with more decimals would be
    rounded there, so it is refused here instead of silently changed.
    """

    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _refuse(f"{label} must be a number, got {value!r}", label)
        try:
            number = float(value)
        except OverflowError:  # an int beyond any float
            number = math.inf
        if not math.isfinite(number) or not minimum <= number <= maximum:
            raise _refuse(f"{label} must be {minimum:,}…{maximum:,}, got {value!r}", label)
        if round(number, places) != number:
            raise _refuse(f"{label} has more than {places} decimal(s): {value!r}", label)
        return number

    return Check(check, f"finite number {minimum:,}…{maximum:,}, at most {places} decimal(s)")


def identifier(id_type: Callable[[object], str], doc: str) -> Check:
    """Build the check of an id field from its value-object class."""
    return Check(id_type, doc)
