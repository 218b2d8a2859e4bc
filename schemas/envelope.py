"""Envelopes: the transport metadata every command and event carries next to its payload."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from schemas.typemap import AVRO_LOGICAL

C = TypeVar("C")
E = TypeVar("E")
_MILLIS: dict[str, Any] = {AVRO_LOGICAL: "timestamp-millis"}


def to_millis(moment: dt.datetime) -> dt.datetime:
    """Return an aware UTC datetime truncated to the millisecond the wire can carry."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    moment = moment.astimezone(dt.UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def now_millis() -> dt.datetime:
    """Return the current UTC time at millisecond precision."""
    return to_millis(dt.datetime.now(dt.UTC))


def _normalize_timestamp(instance: object, name: str) -> None:
    object.__setattr__(instance, name, to_millis(getattr(instance, name)))


@dataclass(frozen=True, kw_only=True)
class CommandMeta:
    """Who sent a command, when, and the aggregate version it expects."""

    command_id: str
    aggregate_id: str
    expected_version: int | None = None
    issued_at: dt.datetime = field(metadata=_MILLIS)
    channel: str
    correlation_id: str

    def __post_init__(self) -> None:
        _normalize_timestamp(self, "issued_at")


@dataclass(frozen=True, kw_only=True)
class EventMeta:
    """Where an event sits in its aggregate's stream and which command caused it."""

    event_id: str
    aggregate_id: str
    sequence_nr: int
    occurred_at: dt.datetime = field(metadata=_MILLIS)
    causation_id: str
    correlation_id: str

    def __post_init__(self) -> None:
        _normalize_timestamp(self, "occurred_at")


@dataclass(frozen=True)
class CommandEnvelope(Generic[C]):
    """A domain command with its transport metadata."""

    meta: CommandMeta
    command: C


@dataclass(frozen=True)
class EventEnvelope(Generic[E]):
    """A domain event with its transport metadata."""

    meta: EventMeta
    event: E

    def replace_event(self, event: Any) -> EventEnvelope[Any]:
        """Return this envelope carrying another event (used by upcasters)."""
        return dataclasses.replace(self, event=event)
