"""Ack a message only once the agent has processed it, never on the way out.

Faust acks every event it handed over in a ``finally``: ``take_events`` the whole
buffered batch, ``events()`` the current event, also when the agent is cancelled,
crashes or gives its batch up, and the consumer then commits past messages nobody
processed. Here each message is referenced once more (``Message.incref``) before the
loop body sees it and released only once the body says it was processed: Faust's own
ack then is not the last one, so an unprocessed message stays unacknowledged, its
offset uncommitted, and it is redelivered after a restart or a rebalance.

A batch given up because the worker stops (``BatchAbandoned``) is left that way, and
the command agents keep taking batches without processing them (never a later
command before an earlier one). Its messages are taken off the consumer's set of
messages in flight (``Consumer.unacked``), which Faust's shutdown waits to see
empty: they are neither acked nor waited for.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableSet, Sequence
from typing import Any, cast

import faust
from faust.types import EventT

from streams.handling import BatchAbandoned

log = logging.getLogger(__name__)
Agent = Callable[[faust.StreamT[Any]], Awaitable[None]]


class Batch:
    """Events handed to an agent; acked after the loop body only if it was processed."""

    def __init__(self, events: Sequence[EventT[Any]], unacked: MutableSet[Any]) -> None:
        self.events = events
        self.processed = False
        self._unacked = unacked

    @property
    def messages(self) -> list[Any]:
        return [event.message for event in self.events]

    @contextlib.contextmanager
    def processing(self) -> Iterator[None]:
        """Mark the batch processed when the block ends normally; leave it on ``BatchAbandoned``."""
        try:
            yield
        except BatchAbandoned:
            log.info("stopping: a batch of %d is left unacknowledged, for redelivery",
                     len(self.events))  # fmt: skip
            return
        self.processed = True

    def release(self) -> None:
        """Ack our reference if the batch was processed, else give its messages up.

        Given up: unacknowledged (the offsets stay uncommitted), and no longer counted
        among the messages in flight, which Faust's shutdown and rebalance wait for.
        """
        for event in self.events:
            if self.processed:
                event.ack()  # Faust's own ack is then the last one
            else:
                self._unacked.discard(event.message)
        self.events = ()


async def processed_batches(
    stream: faust.StreamT[Any], size: int, within_s: float
) -> AsyncIterator[Batch]:
    """Yield batches like ``take_events``; ack one only once the body marked it processed."""
    # StreamT does not declare take_events; the Stream Faust passes in has it
    batches = cast(faust.Stream[Any], stream).take_events(size, within=within_s)
    unacked = stream.app.consumer.unacked
    batch: Batch | None = None
    try:
        async for events in batches:
            batch = Batch(events, unacked)
            for event in events:
                event.message.incref()
            yield batch
            batch.release()
            batch = None
    finally:
        if batch is not None:  # the body raised or the agent was cancelled
            batch.release()
        await batches.aclose()  # Faust's ack of an unprocessed batch happens now, harmlessly


async def processed_events(stream: faust.StreamT[Any]) -> AsyncIterator[EventT[Any]]:
    """Yield events like ``stream.events()``; ack each only after the loop body returned."""
    events = stream.events()
    unacked = stream.app.consumer.unacked
    current: EventT[Any] | None = None
    try:
        async for current in events:
            current.message.incref()
            yield current
            current.ack()
            current = None
    finally:
        if current is not None:  # given up: see Batch.release
            unacked.discard(current.message)
        await cast(Any, events).aclose()


def until_abandoned(agent: Agent) -> Agent:
    """Wrap an agent so that giving its work up on shutdown (``BatchAbandoned``) ends it quietly.

    The work given up stays unacknowledged (see above): it is redelivered.
    """

    @functools.wraps(agent)
    async def run(stream: faust.StreamT[Any]) -> None:
        try:
            await agent(stream)
        except BatchAbandoned:
            log.info("%s: stopping; unfinished work is left for redelivery", agent.__name__)

    return run
