"""Errors raised by event-store adapters.

A stale expected version is the domain's own ``ConcurrencyError`` (re-exported
here), so command handlers catch one class whichever store they run against.
Infrastructure failures are ``EventStoreError``: not a business rejection, so the
handler retries or dead-letters instead of answering the client with it.
"""

from __future__ import annotations

from domain.errors import ConcurrencyError

__all__ = [
    "ConcurrencyError",
    "CorruptJournalError",
    "EventStoreError",
    "UnreadableItemError",
    "conflict",
]


class EventStoreError(Exception):
    """The store could not do what was asked (driver, network or data failure)."""


class CorruptJournalError(EventStoreError):
    """An aggregate's journal has a gap or overlap: detected, never papered over."""


class UnreadableItemError(CorruptJournalError):
    """A journal item lacks an attribute an entry needs, or holds one of the wrong type.

    Zaiko never writes one; an older writer, a hand edit or another tool may have.
    """

    def __init__(self, message: str, key: str = "?", aggregate_id: str = "") -> None:
        super().__init__(message)
        self.key = key  # "aggregate id/seq nr" as far as the item has them
        self.aggregate_id = aggregate_id  # "" when the item has none


def conflict(aggregate_id: str, expected_version: int) -> ConcurrencyError:
    """Return the error for an append whose ``expected_version`` is already taken."""
    return ConcurrencyError(
        f"version {expected_version + 1} of {aggregate_id} is already written",
        aggregate_id=aggregate_id,
        expected_version=str(expected_version),
    )
