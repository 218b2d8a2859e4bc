"""The one shape every command agent has: consume ``<aggregate>.commands`` in batches."""

from __future__ import annotations

from typing import Any

import faust

from schemas import command_topic_for
from streams.agents.acks import processed_batches
from streams.runtime import CommandRuntime


def command_agent(app: faust.App, runtime: CommandRuntime, aggregate_type: str) -> Any:
    """Register the agent of ``aggregate_type``; concurrency 1 (faust-streaming #606).

    A batch's events are acked only once it was processed (``processed_batches``), and
    processing ends only once every answer is on record and acknowledged, so a
    committed offset never runs ahead of an answer; a batch given up because the
    worker stops, and every one after it, stays unacknowledged. One batch at a time
    also keeps each aggregate's commands in order across batches.
    """
    topic = app.topic(
        command_topic_for(aggregate_type), key_serializer="raw", value_serializer="raw"
    )

    async def consume(stream: faust.StreamT[Any]) -> None:
        batches = processed_batches(stream, runtime.batch_size, runtime.batch_within_s)
        async for batch in batches:
            if runtime.stopping():
                continue  # taken while the worker stops: left unacknowledged, redelivered
            with batch.processing():
                await runtime.process_batch(aggregate_type, batch.messages)

    name = f"{aggregate_type.replace('-', '_')}_commands"
    consume.__name__ = consume.__qualname__ = name
    return app.agent(topic, name=name, concurrency=1)(consume)
