"""Send commands to the command topics, recording each command id and when it was sent."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from confluent_kafka import Producer

from domain.message import Command
from domain.messages import aggregate_id_of, aggregate_type_of
from schemas import CommandEnvelope, CommandMeta, command_topic_for, encode, now_millis
from tests.faults.harness.outcomes import OutcomeLog


def envelope(command: Command, command_id: str | None = None) -> CommandEnvelope[Any]:
    """Wrap ``command`` with a fresh (or the given) command id."""
    command_id = command_id or f"fault-{uuid.uuid4().hex}"
    meta = CommandMeta(command_id=command_id, aggregate_id=aggregate_id_of(command),
                       issued_at=now_millis(), channel="faults",
                       correlation_id=command_id)  # fmt: skip
    return CommandEnvelope(meta, command)


class Flood:
    """A partner producing commands (murmur2, like Faust); remembers every id it sent."""

    def __init__(self, bootstrap: str, outcomes: OutcomeLog) -> None:
        self.outcomes = outcomes
        self._producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "acks": "all",
                                   "partitioner": "murmur2_random"})  # fmt: skip
        self.sent: dict[str, CommandEnvelope[Any]] = {}
        self.sent_at: dict[str, float] = {}

    def send(
        self, commands: Iterable[Command | CommandEnvelope[Any]], rate: float | None = None
    ) -> list[str]:
        """Produce the commands (at ``rate`` per second, or at once); return their ids."""
        envelopes = [c if isinstance(c, CommandEnvelope) else envelope(c) for c in commands]
        ids = [e.meta.command_id for e in envelopes]
        self.outcomes.expect(ids)  # before producing: an outcome may come back at once
        started = time.monotonic()
        for i, sent in enumerate(envelopes):
            if rate is not None:
                delay = started + i / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)  # pacing a producer, not synchronisation
            self._produce(sent)
        if self._producer.flush(60) != 0:
            raise AssertionError("the broker did not acknowledge every command")
        return ids

    def send_and_wait(
        self, commands: Sequence[Command | CommandEnvelope[Any]], timeout_s: float = 120.0
    ) -> list[str]:
        """Send and wait until each command has an outcome; return the ids."""
        ids = self.send(commands)
        self.outcomes.wait(set(ids), timeout_s, f"outcomes of {len(ids)} commands")
        return ids

    def _produce(self, sent: CommandEnvelope[Any]) -> None:
        command = sent.command
        topic = command_topic_for(aggregate_type_of(command))
        self.sent[sent.meta.command_id] = sent
        self.sent_at[sent.meta.command_id] = time.monotonic()
        self._producer.produce(topic, encode(sent), aggregate_id_of(command).encode())
        self._producer.poll(0)
