"""The one shape every command agent has: consume ``<aggregate>.commands`` in batches."""

from __future__ import annotations

from typing import Any, cast

import faust

from schemas import command_topic_for
from streams.runtime import CommandRuntime


def command_agent(app: faust.App, runtime: CommandRuntime, aggregate_type: str) -> Any:
    """Register the agent of ``aggregate_type``; concurrency 1 (faust-streaming #606).

    ``take_events`` acks a batch's events only after the loop body is done with them,
    and the body returns only once every answer is on record and acknowledged, so a
    committed offset never runs ahead of an answer. One batch at a time also keeps
    each aggregate's commands in order across batches.
    """
    topic = app.topic(
        command_topic_for(aggregate_type), key_serializer="raw", value_serializer="raw"
    )

    async def consume(stream: faust.StreamT[Any]) -> None:
        # StreamT does not declare take_events; the Stream Faust passes in has it
        batches = cast(faust.Stream[Any], stream).take_events(
            runtime.batch_size, within=runtime.batch_within_s
        )
        async for events in batches:
            await runtime.process_batch(aggregate_type, [event.message for event in events])

    name = f"{aggregate_type.replace('-', '_')}_commands"
    consume.__name__ = consume.__qualname__ = name
    return app.agent(topic, name=name, concurrency=1)(consume)
