"""Base classes for commands and events: frozen dataclasses of simple field types.

Every command field declares its check once, as `Annotated[type, CHECK]` (or is a str
enum): the command runs each check when it is built, the schema generator documents it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from typing import Any

from domain.checks import Check
from domain.errors import ValidationError


@dataclasses.dataclass(frozen=True)
class FieldRule:
    """How one field of a message is checked: its enum, its check, and whether None is allowed."""

    name: str
    enum: type[Enum] | None
    check: Check | None
    nullable: bool


_RULES: dict[type, tuple[FieldRule, ...]] = {}


def _members(hint: Any) -> tuple[Any, ...]:
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    return typing.get_args(hint) if union else (hint,)


def field_rules(cls: type) -> tuple[FieldRule, ...]:
    """Return the rule of every field of a message class, in field order."""
    if cls in _RULES:
        return _RULES[cls]
    annotated = typing.get_type_hints(cls, include_extras=True)
    plain = typing.get_type_hints(cls)
    rules = []
    for field in dataclasses.fields(cls):
        metadata = [
            m
            for hint in (annotated[field.name], *_members(annotated[field.name]))
            for m in getattr(hint, "__metadata__", ())
        ]
        members = _members(plain[field.name])
        rules.append(
            FieldRule(
                field.name,
                next((m for m in members if isinstance(m, type) and issubclass(m, Enum)), None),
                next((m for m in metadata if isinstance(m, Check)), None),
                type(None) in members,
            )
        )
    _RULES[cls] = tuple(rules)
    return _RULES[cls]


@dataclasses.dataclass(frozen=True)
class Message:
    """A domain message; enum fields given as their raw values are coerced to the enum."""

    def __post_init__(self) -> None:
        for rule in field_rules(type(self)):
            value = getattr(self, rule.name)
            if rule.enum is not None and value is not None and not isinstance(value, rule.enum):
                try:
                    object.__setattr__(self, rule.name, rule.enum(value))
                except ValueError as e:
                    raise ValidationError(f"invalid {rule.name}: {value!r}", field=rule.name) from e
        self.check_fields()
        self.validate()

    def check_fields(self) -> None:
        """Run each field's own check; events are facts and accept what was recorded."""

    def validate(self) -> None:
        """Reject what breaks a rule across fields (after every field passed its check)."""


@dataclasses.dataclass(frozen=True)
class Command(Message):
    """An imperative request to one aggregate; checks every field on construction."""

    def check_fields(self) -> None:
        """Refuse a missing required field and run every declared check."""
        for rule in field_rules(type(self)):
            value = getattr(self, rule.name)
            if value is None:
                if not rule.nullable:
                    raise ValidationError(f"{rule.name}: required", field=rule.name)
            elif rule.check is not None:
                try:
                    rule.check(value)
                except ValidationError as e:
                    raise ValidationError(f"{rule.name}: {e.message}", field=rule.name) from e


@dataclasses.dataclass(frozen=True)
class Event(Message):
    """A past-tense fact emitted by an aggregate's decide and applied by its evolve."""
