"""The one shape every command agent has: consume ``<aggregate>.commands``, answer each."""

from __future__ import annotations

from typing import Any

import faust

from schemas import command_topic_for
from streams.runtime import CommandRuntime


def command_agent(app: faust.App, runtime: CommandRuntime, aggregate_type: str) -> Any:
    """Register the agent of ``aggregate_type``; concurrency 1 (faust-streaming #606)."""
    topic = app.topic(
        command_topic_for(aggregate_type), key_serializer="raw", value_serializer="raw"
    )

    async def consume(stream: faust.StreamT[Any]) -> None:
        async for event in stream.events():
            await runtime.process(aggregate_type, event.message)

    name = f"{aggregate_type.replace('-', '_')}_commands"
    consume.__name__ = consume.__qualname__ = name
    return app.agent(topic, name=name, concurrency=1)(consume)
