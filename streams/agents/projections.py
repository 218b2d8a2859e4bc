"""Projection agents: one per ``<aggregate>.events`` topic, batches into the projection runtime."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import faust

from schemas import event_topic_for
from schemas.topics import AGGREGATE_TYPES
from streams.agents.acks import processed_batches
from streams.projection import Record
from streams.projector.runtime import ProjectionRuntime


def register(app: faust.App, runtime: ProjectionRuntime, batch_size: int, within_s: float) -> Any:
    """Register the five projection agents on ``app``; return them."""
    return [
        projection_agent(app, runtime, aggregate_type, batch_size, within_s)
        for aggregate_type in AGGREGATE_TYPES
    ]


def projection_agent(
    app: faust.App, runtime: ProjectionRuntime, aggregate_type: str, batch_size: int,
    within_s: float,
) -> Any:  # fmt: skip
    """Register the agent of ``<aggregate_type>.events``; concurrency 1 keeps order per key."""
    topic = app.topic(event_topic_for(aggregate_type), key_serializer="raw", value_serializer="raw")

    async def project(stream: faust.StreamT[Any]) -> None:
        # a batch is acked only after process() has projected it and its publications
        # were acked; never when the agent is cancelled mid-batch
        batches = processed_batches(stream, batch_size, within_s)
        async for batch in batches:
            with batch.processing():
                await runtime.process(aggregate_type, [_record(m) for m in batch.messages])

    name = f"{aggregate_type.replace('-', '_')}_projection"
    project.__name__ = project.__qualname__ = name
    return app.agent(topic, name=name, concurrency=1)(project)


def _record(message: Any) -> Record:
    """Return the handler's view of a delivered message, headers included (for dead letters)."""
    headers = message.headers or ()
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    kept = tuple((str(name), value or b"") for name, value in pairs)
    return Record(str(message.topic), message.partition, message.offset, message.key,
                  message.value, kept, float(message.timestamp or 0.0))  # fmt: skip
