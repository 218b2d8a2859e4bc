"""Tell a failure that the events cause (park after retries) from one the world causes (wait).

Deterministic: the same events fail the same way however often they are retried - a
value the read model refuses (psycopg ``DataError``: numeric out of range, string too
long, NUL in text, bad encoding; ``IntegrityError``: check, unique, foreign key, not
null), an event no handler knows or whose rows cannot be built
(``UnprojectableEventError``), a gap the event store cannot fill (``GapError``) or fills
with an item that is not an entry (``UnreadableItemError``).

Transient: everything else - ``OperationalError`` (connection lost or refused, server
shutting down, statement or lock timeout, deadlock, serialization failure, a pipeline
aborted by one of those), ``InterfaceError`` (a closed connection), an undefined table
before a migration ran, a bug. These are retried with capped backoff for as long as it
takes and never park anything: parking every aggregate because the database is down, or
because a release broke every event alike, would turn an outage into a pile of work.
"""

from __future__ import annotations

import psycopg

from connectors.eventstore.errors import UnreadableItemError
from connectors.postgres.gaps import GapError
from connectors.postgres.handlers import UnprojectableEventError

DETERMINISTIC: tuple[type[BaseException], ...] = (
    psycopg.DataError,
    psycopg.IntegrityError,
    UnprojectableEventError,
    GapError,
    UnreadableItemError,
)


def is_deterministic(error: BaseException) -> bool:
    """Return True when retrying the same events can only fail the same way."""
    return isinstance(error, DETERMINISTIC)


def describe(error: BaseException) -> str:
    """Return ``"<class>: <message>"`` on one line, for 投影保留.理由 and dead-letter headers."""
    sqlstate = getattr(error, "sqlstate", None)
    text = " ".join(str(error).split())
    name = type(error).__name__ + (f" [{sqlstate}]" if sqlstate else "")
    return f"{name}: {text}"[:1000]
