"""Ack a message only once the agent has finished with it, never on the way out.

Faust acks every event it handed over in a ``finally``: ``take_events`` the whole
buffered batch, ``events()`` the current event, also when the agent is cancelled,
crashes or gives its batch up mid-way, and the consumer then commits past messages
nobody processed. Here each message is referenced once more (``Message.incref``)
before the loop body sees it and released only after the body returned normally:
Faust's own ack then is no longer the last one, so an interrupted batch stays
unacknowledged, its offsets uncommitted, and it is redelivered after a restart or a
rebalance.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, cast

import faust
from faust.types import EventT

from streams.handling import BatchAbandoned

log = logging.getLogger(__name__)
Agent = Callable[[faust.StreamT[Any]], Awaitable[None]]


async def processed_batches(
    stream: faust.StreamT[Any], size: int, within_s: float
) -> AsyncIterator[Sequence[EventT[Any]]]:
    """Yield batches like ``take_events``; ack each only after the loop body is done with it."""
    # StreamT does not declare take_events; the Stream Faust passes in has it
    batches = cast(faust.Stream[Any], stream).take_events(size, within=within_s)
    try:
        async for events in batches:
            for event in events:
                event.message.incref()
            yield events
            for event in events:  # the body returned: release our reference
                event.ack()
    finally:
        await batches.aclose()  # Faust's ack of an unfinished batch happens now, harmlessly


async def processed_events(stream: faust.StreamT[Any]) -> AsyncIterator[EventT[Any]]:
    """Yield events like ``stream.events()``; ack each only after the loop body is done with it."""
    events = stream.events()
    try:
        async for event in events:
            event.message.incref()
            yield event
            event.ack()
    finally:
        await cast(Any, events).aclose()


def until_abandoned(agent: Agent) -> Agent:
    """Wrap an agent so that giving up its work on shutdown (``BatchAbandoned``) ends it quietly.

    The work given up stays unacknowledged (see above): it is redelivered.
    """

    @functools.wraps(agent)
    async def run(stream: faust.StreamT[Any]) -> None:
        try:
            await agent(stream)
        except BatchAbandoned:
            log.info("%s: stopping; unfinished work is left for redelivery", agent.__name__)

    return run
