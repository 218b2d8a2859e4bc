"""Send many commands at once (a bounded window in flight) and wait for their outcomes."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.messages import aggregate_id_of, aggregate_type_of
from schemas.codec import encode, schema_name_of
from schemas.envelope import CommandEnvelope
from schemas.topics import HEADER_COMMAND_ID, HEADER_MESSAGE_TYPE, command_topic_for
from simulation.outcomes import OutcomeWatch
from simulation.producer import Headers, produce_when_room


@dataclass(frozen=True)
class Record:
    """One command ready to produce: topic, key (aggregate id), value and headers."""

    command_id: str
    command_type: str
    topic: str
    key: bytes
    value: bytes
    headers: Headers


def record_of(sent: CommandEnvelope[Any]) -> Record:
    """Encode a command envelope with the schemas codec, keyed by its aggregate id."""
    command_id = sent.meta.command_id
    return Record(
        command_id=command_id,
        command_type=type(sent.command).__name__,
        topic=command_topic_for(aggregate_type_of(sent.command)),
        key=aggregate_id_of(sent.command).encode(),
        value=encode(sent),
        headers={HEADER_MESSAGE_TYPE: schema_name_of(sent), HEADER_COMMAND_ID: command_id},
    )


def produce(producer: Any, record: Record, on_error: Callable[[str], None]) -> None:
    """Produce one record, waiting for room in the local queue when it is full."""

    def delivered(error: Any, _message: Any) -> None:
        if error is not None:
            on_error(record.command_id)

    produce_when_room(producer, record.topic, record.value, record.key, record.headers, delivered)
    producer.poll(0)


def send_and_await(
    producer: Any,
    watch: OutcomeWatch,
    records: Sequence[Record],
    *,
    window: int = 2000,
    stall_timeout_s: float = 300.0,
    progress: Callable[[int], None] = lambda _: None,
) -> set[str]:
    """Send ``records`` with at most ``window`` unanswered; return the ids left unanswered.

    Gives up when no outcome arrived for ``stall_timeout_s`` (the worker is down or stuck).
    """
    watch.expect(r.command_id for r in records)
    failed: set[str] = set()
    pending: set[str] = set()
    answered, nxt, last_change = 0, 0, time.monotonic()
    while nxt < len(records) or pending - failed:
        while nxt < len(records) and len(pending) < window:
            record = records[nxt]
            watch.sent([record.command_id])  # first: its answer may come back at once
            produce(producer, record, failed.add)
            pending.add(record.command_id)
            nxt += 1
        producer.poll(0.01)
        done = {c for c in pending if c in watch.answers}
        if done:
            pending -= done
            answered += len(done)
            progress(answered)
            last_change = time.monotonic()
        elif time.monotonic() - last_change > stall_timeout_s:
            break
    producer.flush(10)
    return pending | failed | {r.command_id for r in records[nxt:]}
