"""Keep infrastructure failures from crashing the worker or silently dropping a command."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from connectors.eventstore.port import CommandOutcome
from domain.messages import aggregate_type_of
from schemas import CommandEnvelope
from streams.handling import outcomes
from streams.handling.group import Resolution
from streams.handling.handler import LOOK_UP, CommandHandler, LookUp

log = logging.getLogger(__name__)

BACKOFF_S = (0.1, 0.5, 2.0)


def handle_with_retries(
    handler: CommandHandler,
    envelope: CommandEnvelope[Any],
    backoff_s: tuple[float, ...] = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> CommandOutcome:
    """Handle ``envelope``, retrying unexpected errors with backoff, then reject as INTERNAL.

    The INTERNAL rejection is published but not recorded: the failure is transient, so
    a redelivery of the same command deserves a real answer.
    """
    resolution = _with_retries(
        lambda: Resolution(handler.handle(envelope), fresh=False),
        handler, envelope, backoff_s, sleep,
    )  # fmt: skip
    return resolution.outcome


def resolve_with_retries(
    handler: CommandHandler,
    envelope: CommandEnvelope[Any],
    recorded: CommandOutcome | LookUp | None = LOOK_UP,
    backoff_s: tuple[float, ...] = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> Resolution:
    """Resolve ``envelope`` (recording left to the caller) with the same retries.

    An INTERNAL rejection comes back not fresh: it must be published, never recorded.
    """
    return _with_retries(
        lambda: handler.resolve(envelope, recorded), handler, envelope, backoff_s, sleep
    )


def _with_retries(
    attempt_once: Callable[[], Resolution],
    handler: CommandHandler,
    envelope: CommandEnvelope[Any],
    backoff_s: tuple[float, ...],
    sleep: Callable[[float], None],
) -> Resolution:
    for attempt, delay in enumerate((*backoff_s, None), start=1):
        try:
            return attempt_once()
        except Exception as e:
            if delay is None:
                log.exception("command %s failed %d times", envelope.meta.command_id, attempt)
                return Resolution(internal(envelope, e), fresh=False)
            log.warning("command %s failed (%r); retrying", envelope.meta.command_id, e)
            handler.loader.cache.drop(
                aggregate_type_of(envelope.command), envelope.meta.aggregate_id
            )
            sleep(delay)
    raise AssertionError("unreachable")


def internal(envelope: CommandEnvelope[Any], error: Exception) -> CommandOutcome:
    """Return the unrecorded INTERNAL rejection of a command infrastructure failed."""
    return outcomes.rejected(
        envelope.meta,
        aggregate_type_of(envelope.command),
        outcomes.INTERNAL,
        f"internal error: {type(error).__name__}",
    )
