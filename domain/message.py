"""Base classes for commands and events: frozen dataclasses of simple field types."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

from domain.errors import ValidationError

Validator = Callable[[Any], object]


_ENUM_FIELDS: dict[type, tuple[tuple[str, type[Enum]], ...]] = {}


def _enum_fields(cls: type) -> tuple[tuple[str, type[Enum]], ...]:
    if cls in _ENUM_FIELDS:
        return _ENUM_FIELDS[cls]
    hints = typing.get_type_hints(cls)
    found: list[tuple[str, type[Enum]]] = []
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        candidates = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, Enum):
                found.append((field.name, candidate))
    _ENUM_FIELDS[cls] = tuple(found)
    return _ENUM_FIELDS[cls]


@dataclasses.dataclass(frozen=True)
class Message:
    """A domain message; enum fields given as their raw values are coerced to the enum."""

    def __post_init__(self) -> None:
        for name, enum_type in _enum_fields(type(self)):
            value = getattr(self, name)
            if value is not None and not isinstance(value, enum_type):
                try:
                    object.__setattr__(self, name, enum_type(value))
                except ValueError as e:
                    raise ValidationError(f"invalid {name}: {value!r}", field=name) from e
        self.validate()

    def validate(self) -> None:
        """Reject malformed content; events are facts and accept what was recorded."""


@dataclasses.dataclass(frozen=True)
class Command(Message):
    """An imperative request to one aggregate; validates its fields on construction."""


@dataclasses.dataclass(frozen=True)
class Event(Message):
    """A past-tense fact emitted by an aggregate's decide and applied by its evolve."""


def require(message: Message, **validators: Validator) -> None:
    """Run each validator on the named field, None included."""
    for name, validator in validators.items():
        _run(name, validator, getattr(message, name))


def optional(message: Message, **validators: Validator) -> None:
    """Run each validator on the named field unless it is None."""
    for name, validator in validators.items():
        value = getattr(message, name)
        if value is not None:
            _run(name, validator, value)


def _run(name: str, validator: Validator, value: object) -> None:
    try:
        validator(value)
    except ValidationError as e:
        raise ValidationError(f"{name}: {e.message}", field=name) from e


def text(max_length: int, *, blank_ok: bool = False) -> Validator:
    """Build a validator for a free-text field of at most `max_length` characters."""

    def check(value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(f"expected text, got {value!r}", field="text")
        if not blank_ok and not value.strip():
            raise ValidationError("text must not be blank", field="text")
        if len(value) > max_length:
            raise ValidationError(f"text longer than {max_length} characters", field="text")
        return value

    return check


def non_negative_int(value: object) -> int:
    """Validate an int >= 0 (bool refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"expected an int >= 0, got {value!r}", field="int")
    return value


def positive_number(value: object) -> float:
    """Validate a number > 0 (bool refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValidationError(f"expected a number > 0, got {value!r}", field="number")
    return float(value)


def temperature(value: object) -> float:
    """Validate a temperature in °C within what a warehouse can hold."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not -60 <= value <= 60:
        raise ValidationError(f"temperature out of range: {value!r}", field="temperature")
    return float(value)


NAME = text(200)
NOTE = text(1000, blank_ok=True)
OPERATOR = text(100)
