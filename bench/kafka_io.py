"""Produce commands (murmur2, like Faust) and time their outcomes on command.results."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

from domain.messages import aggregate_id_of, aggregate_type_of
from schemas import (
    COMMAND_RESULTS_TOPIC,
    CodecError,
    CommandEnvelope,
    command_topic_for,
    decode_outcome,
    encode,
)


def producer(bootstrap: str, linger_ms: int = 5) -> Any:
    """Return a producer that partitions like aiokafka/Faust (murmur2)."""
    return Producer({"bootstrap.servers": bootstrap, "linger.ms": linger_ms, "acks": "all",
                     "partitioner": "murmur2_random"})  # fmt: skip


def encoded(envelope: CommandEnvelope[Any]) -> tuple[str, bytes, bytes]:
    """Return (topic, key, value) of a command envelope."""
    command = envelope.command
    topic = command_topic_for(aggregate_type_of(command))
    return topic, aggregate_id_of(command).encode(), encode(envelope)


class OutcomeWatch:
    """Read command.results in a thread; note when each awaited command id answered."""

    def __init__(self, bootstrap: str) -> None:
        # a short fetch wait: Tansu answers a waiting fetch only at its deadline (500 ms
        # by default), which would be measured as command latency
        self._consumer = Consumer({"bootstrap.servers": bootstrap, "enable.auto.commit": False,
                                   "group.id": f"zaiko-bench-{uuid.uuid4().hex[:8]}",
                                   "fetch.wait.max.ms": 10})  # fmt: skip
        meta = self._consumer.list_topics(COMMAND_RESULTS_TOPIC, timeout=10)
        partitions = meta.topics[COMMAND_RESULTS_TOPIC].partitions
        # from the beginning, filtered by key: Tansu's LATEST offsets cannot be trusted
        self._consumer.assign(
            [TopicPartition(COMMAND_RESULTS_TOPIC, p, OFFSET_BEGINNING) for p in partitions]
        )
        self._lock = threading.Lock()
        self._awaited: set[str] = set()
        self.arrived: dict[str, tuple[float, str]] = {}  # command id -> (monotonic, status)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def expect(self, command_ids: Iterable[str]) -> None:
        with self._lock:
            self._awaited.update(command_ids)

    def wait(self, command_ids: set[str], timeout_s: float) -> bool:
        """Block until every id in ``command_ids`` has an outcome; False at the deadline."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if command_ids <= self.arrived.keys():
                    return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self._consumer.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            # consume() returns when the batch is full or at the timeout: keep that short,
            # as every message of a batch is timed at its return
            for message in self._consumer.consume(1000, timeout=0.005):
                now = time.monotonic()
                if message.error() is not None:
                    continue
                key = (message.key() or b"").decode()
                with self._lock:
                    if key in self._awaited and key not in self.arrived:
                        try:
                            status = decode_outcome(message.value() or b"").status
                        except CodecError:  # not ours to read: skip it, keep watching
                            continue
                        self.arrived[key] = (now, str(getattr(status, "value", status)))
