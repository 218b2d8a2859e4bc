"""The error an open-transfers index raises when its store fails."""

from __future__ import annotations

from connectors.eventstore.errors import EventStoreError


class OpenTransferIndexError(EventStoreError):
    """The index could not be read or written (driver or network failure).

    An ``EventStoreError``: the intent is written on the way to the journal, so a failure
    there is the event store failing, retried like any other.
    """
