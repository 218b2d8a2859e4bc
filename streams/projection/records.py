"""What the projection handler takes in and gives back (no Faust, no Kafka client)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.postgres.parking import Parked
from schemas import EventEnvelope, LowStockAlert, Notification

Headers = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Record:
    """One message of an event topic as the broker delivered it (partition -1: not delivered)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers = ()
    timestamp: float = 0.0  # when the broker got it (epoch s; 0: unknown)


@dataclass(frozen=True)
class Decoded:
    """A record whose value decoded to an event envelope."""

    record: Record
    envelope: EventEnvelope[Any]


@dataclass(frozen=True)
class DeadLetter:
    """A record that cannot be projected, and why (the ``zaiko-dlq-reason`` header)."""

    record: Record
    reason: str


@dataclass
class BatchResult:
    """What projecting one batch did, and what the caller must publish before acking it."""

    dead_letters: list[DeadLetter] = field(default_factory=list)
    alerts: list[LowStockAlert] = field(default_factory=list)
    parked: list[Parked] = field(default_factory=list)  # aggregates this batch parked
    notifications: list[Notification] = field(default_factory=list)  # parked aggregates
    applied: int = 0
    skipped: int = 0
    gaps_healed: int = 0
    events_fetched: int = 0
    newest_occurred_s: float | None = None  # occurred_at (epoch s) of the newest event delivered
