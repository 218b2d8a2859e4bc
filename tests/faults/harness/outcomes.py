"""Read command.results in a thread: every outcome of every awaited command id, with its time."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from schemas import COMMAND_RESULTS_TOPIC, CommandOutcome, decode_outcome
from tests.faults.harness.deadline import wait_for


@dataclass(frozen=True)
class Seen:
    """One outcome message as it arrived."""

    at: float  # time.monotonic() when read
    outcome: CommandOutcome

    @property
    def answer(self) -> tuple[object, ...]:
        """What must be the same in every copy of a command's outcome."""
        o = self.outcome
        return (o.aggregate_id, str(o.status), o.version, tuple(o.event_types), o.error_code)


class OutcomeLog:
    """Every outcome on command.results for the ids ``expect`` named, from the beginning.

    Reads without a consumer group (Tansu's group joins are slow) and from offset 0 (its
    LATEST offsets are wrong), filtering by key.
    """

    def __init__(self, bootstrap: str) -> None:
        self._consumer = Consumer({"bootstrap.servers": bootstrap, "enable.auto.commit": False,
                                   "group.id": f"zaiko-faults-{uuid.uuid4().hex[:8]}",
                                   "fetch.wait.max.ms": 10})  # fmt: skip
        meta = self._consumer.list_topics(COMMAND_RESULTS_TOPIC, timeout=10)
        partitions = meta.topics[COMMAND_RESULTS_TOPIC].partitions
        self._consumer.assign(
            [TopicPartition(COMMAND_RESULTS_TOPIC, p, OFFSET_BEGINNING) for p in partitions]
        )
        self._lock = threading.Lock()
        self._awaited: set[str] = set()
        self._seen: dict[str, list[Seen]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="outcome-log")
        self._thread.start()

    def expect(self, command_ids: Iterable[str]) -> None:
        with self._lock:
            self._awaited.update(command_ids)

    def seen(self, command_id: str) -> list[Seen]:
        with self._lock:
            return list(self._seen.get(command_id, ()))

    def first(self, command_id: str) -> Seen | None:
        with self._lock:
            copies = self._seen.get(command_id)
            return copies[0] if copies else None

    def answered(self, command_ids: Iterable[str]) -> set[str]:
        with self._lock:
            return {c for c in command_ids if c in self._seen}

    def wait(self, command_ids: set[str], timeout_s: float, what: str = "outcomes") -> float:
        """Wait until every id has an outcome; return the seconds taken (raise at the deadline)."""
        return wait_for(lambda: len(self.answered(command_ids)) == len(command_ids), timeout_s,
                        what, interval_s=0.05,
                        detail=lambda: f"{len(self.answered(command_ids))}/{len(command_ids)}"
                        " answered")  # fmt: skip

    def wait_count(self, command_ids: set[str], count: int, timeout_s: float) -> float:
        """Wait until at least ``count`` of the ids have an outcome."""
        return wait_for(lambda: len(self.answered(command_ids)) >= count, timeout_s,
                        f"{count} outcomes", interval_s=0.05,
                        detail=lambda: f"{len(self.answered(command_ids))} answered")  # fmt: skip

    def wait_for_aggregate(self, command_id: str, aggregate_id: str, timeout_s: float) -> float:
        """Wait for an outcome of ``command_id`` that names ``aggregate_id``."""
        return wait_for(lambda: any(s.outcome.aggregate_id == aggregate_id
                                    for s in self.seen(command_id)), timeout_s,
                        f"an outcome of {command_id} about {aggregate_id}")  # fmt: skip

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self._consumer.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            messages = self._consumer.consume(1000, timeout=0.05)
            now = time.monotonic()
            for message in messages:
                if message.error() is not None:
                    continue
                key = (message.key() or b"").decode(errors="replace")
                with self._lock:
                    if key not in self._awaited:
                        continue
                    outcome = decode_outcome(message.value() or b"")
                    self._seen.setdefault(key, []).append(Seen(now, outcome))
