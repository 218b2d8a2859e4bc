"""What the stream reader needs from Kafka and from its checkpoint table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class EventMessage:
    """One event as it goes to Kafka: topic, key, the payload bytes unchanged, headers."""

    topic: str
    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes], ...]

    def header(self, name: str) -> str | None:
        """Return the header ``name`` decoded as UTF-8, if present."""
        return next((v.decode() for k, v in self.headers if k == name), None)


@dataclass(frozen=True)
class Checkpoint:
    """How far the bridge got in one shard; ``closed`` once the shard is fully drained."""

    checkpoint_id: str
    sequence_number: str | None
    closed: bool
    updated_at_ms: int


class PublishError(Exception):
    """Kafka did not acknowledge every message of a batch."""


class LeaseLostError(Exception):
    """This bridge no longer holds the lease (expired, or a newer holder fenced it out)."""


class Publisher(Protocol):
    """Publishes batches of event messages in order."""

    def publish(self, messages: Sequence[EventMessage]) -> None:
        """Produce ``messages`` in order and return once Kafka acknowledged all; else raise.

        Raises ``PublishError`` when any message was not acknowledged; then some of the
        batch may have been written (the caller re-reads it: duplicates, never loss).
        """
        ...

    def close(self) -> None:
        """Flush what is pending and release the connection."""
        ...


class CheckpointStore(Protocol):
    """Durable per-shard positions of the bridge."""

    def load(self, checkpoint_id: str) -> Checkpoint | None:
        """Return the checkpoint saved under ``checkpoint_id``, if any."""
        ...

    def save(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint``, replacing the previous one.

        A store fenced by a lease raises ``LeaseLostError`` once a newer holder read
        the checkpoint: a bridge that lost its lease never moves it (back) again.
        """
        ...


class Lease(Protocol):
    """One bridge instance's hold on the lease of its ``bridge_id``."""

    owner: str

    def held(self) -> bool:
        """Tell whether this bridge holds the lease now."""
        ...

    def fence(self) -> int:
        """Return the token of the hold; raise ``LeaseLostError`` without one."""
        ...

    def try_acquire(self) -> bool:
        """Take the lease if it is free (absent, expired, ours); else stand by."""
        ...

    def renew(self) -> bool:
        """Extend the hold; return False once another bridge holds the lease."""
        ...

    def release(self) -> None:
        """Give the lease up so that a standby takes over at once."""
        ...

    def forget(self) -> None:
        """Stop counting on the hold."""
        ...


def checkpoint_id(bridge_id: str, stream_arn: str, shard_id: str) -> str:
    """Return the checkpoint key of a shard for one bridge."""
    return f"{bridge_id}#{stream_arn}#{shard_id}"
