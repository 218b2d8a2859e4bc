"""Keep failures from crashing the worker, dropping a command or denying an applied one.

Two kinds of failure, two answers:
- the store or the network (``EventStoreError``, botocore and connection errors) is
  retried with capped backoff until it works: the journal is the truth, and nothing
  is answered from a guess meanwhile;
- anything else is a bug that would fail again the same way: after ``backoff_s``
  retries the command may be answered INTERNAL (published, never recorded), but only
  once the journal confirms it does not hold the command; if it does, the answer is
  the journal's.

When the worker stops (``stopping``) a retry loop gives up with ``BatchAbandoned``:
its messages must then stay unacknowledged, so they are redelivered.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from connectors.eventstore.errors import CorruptJournalError, EventStoreError
from connectors.eventstore.port import CommandOutcome
from domain.messages import aggregate_type_of
from schemas import CommandEnvelope
from streams.handling import keys, outcomes
from streams.handling.group import Resolution
from streams.handling.handler import LOOK_UP, CommandHandler, LookUp

log = logging.getLogger(__name__)

BACKOFF_S = (0.1, 0.5, 2.0)  # unexpected errors: then the journal decides
INFRASTRUCTURE_BACKOFF_S = (0.1, 0.5, 2.0, 5.0)  # the last one repeats, for as long as it takes
PAUSE_SLICE_S = 0.25  # how soon a pause notices that the worker stops

Stopping = Callable[[], bool]


class BatchAbandoned(BaseException):
    """The worker stops before the work was done: leave its messages unacknowledged.

    A BaseException, like CancelledError, so no ``except Exception`` swallows it.
    """


def never() -> bool:
    """Return False: the default ``stopping`` of code that runs outside a worker."""
    return False


def is_infrastructure(error: BaseException) -> bool:
    """Tell whether ``error`` is the store's or the network's (retry it for as long as it takes).

    A corrupt journal is not: it is data that will read the same way next time.
    """
    if isinstance(error, CorruptJournalError):
        return False
    return isinstance(error, EventStoreError | BotoCoreError | ClientError | OSError)


def retry_delay(attempt: int, backoff_s: tuple[float, ...] = INFRASTRUCTURE_BACKOFF_S) -> float:
    """Return the pause before retry number ``attempt`` (from 1); the last one repeats."""
    return backoff_s[min(attempt, len(backoff_s)) - 1]


def pause(
    delay_s: float, stopping: Stopping = never, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Sleep ``delay_s`` in short slices; raise ``BatchAbandoned`` once the worker stops."""
    remaining = delay_s
    while True:
        if stopping():
            raise BatchAbandoned
        if remaining <= 0:
            return
        sleep(min(PAUSE_SLICE_S, remaining))
        remaining -= PAUSE_SLICE_S


def handle_with_retries(
    handler: CommandHandler,
    envelope: CommandEnvelope[Any],
    backoff_s: tuple[float, ...] = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
    stopping: Stopping = never,
) -> CommandOutcome:
    """Handle ``envelope`` (record included) with the retries above."""
    resolution = _with_retries(
        lambda: Resolution(handler.handle(envelope), fresh=False),
        handler, envelope, backoff_s, sleep, stopping,
    )  # fmt: skip
    return resolution.outcome


def resolve_with_retries(
    handler: CommandHandler,
    envelope: CommandEnvelope[Any],
    recorded: CommandOutcome | LookUp | None = LOOK_UP,
    backoff_s: tuple[float, ...] = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
    stopping: Stopping = never,
) -> Resolution:
    """Resolve ``envelope`` (recording left to the caller) with the same retries.

    An INTERNAL rejection comes back not fresh: it must be published, never recorded.
    """
    return _with_retries(
        lambda: handler.resolve(envelope, recorded), handler, envelope, backoff_s, sleep, stopping
    )


def _with_retries(
    attempt_once: Callable[[], Resolution],
    handler: CommandHandler,
    envelope: CommandEnvelope[Any],
    backoff_s: tuple[float, ...],
    sleep: Callable[[float], None],
    stopping: Stopping,
) -> Resolution:
    command_id, bugs = envelope.meta.command_id, 0
    for attempt in itertools.count(1):
        try:
            if bugs > len(backoff_s):
                return _from_journal(handler, envelope)
            return attempt_once()
        except Exception as e:
            handler.loader.forget(aggregate_type_of(envelope.command), envelope.meta.aggregate_id)
            if is_infrastructure(e):
                delay = retry_delay(attempt)
                log.warning("command %s: %r; retrying in %.1fs", command_id, e, delay)
            else:
                bugs += 1
                delay = backoff_s[min(bugs, len(backoff_s)) - 1] if backoff_s else 0.0
                log.warning("command %s failed (%r)", command_id, e, exc_info=bugs == 1)
            pause(delay, stopping, sleep)
    raise AssertionError("unreachable")


def _from_journal(handler: CommandHandler, envelope: CommandEnvelope[Any]) -> Resolution:
    """Answer a command that keeps failing from the journal, or INTERNAL if it is not there."""
    meta = envelope.meta
    part = handler.loader.find_recent(meta.aggregate_id, meta.command_id)
    if part is None:
        log.error("command %s keeps failing and is not in the journal: INTERNAL", meta.command_id)
        return Resolution(internal(envelope, "it keeps failing"), fresh=False)
    return keys.from_journal(envelope, part)


def internal(envelope: CommandEnvelope[Any], reason: str) -> CommandOutcome:
    """Return the unrecorded INTERNAL rejection of a command that cannot be decided."""
    return outcomes.rejected(
        envelope.meta, aggregate_type_of(envelope.command), outcomes.INTERNAL,
        f"internal error: {reason}",
    )  # fmt: skip
