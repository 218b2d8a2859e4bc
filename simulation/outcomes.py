"""Follow ``command.results`` for the commands we sent, without trusting end offsets.

Tansu's ListOffsets(LATEST) is wrong for multi-record batches, so the watch reads every
partition from the beginning (no consumer group, no join delay) and filters by key. It
waits until it has caught up with the high watermarks the *fetches* report (those are
right) before the first command goes out, so an old outcome of a re-sent command id
is not mistaken for the new answer; any that still arrives before its send is set aside.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from schemas.topics import COMMAND_RESULTS_TOPIC


@dataclass(frozen=True)
class Answer:
    """One outcome as a caller needs it, stamped with when it arrived here."""

    command_id: str
    status: str
    error_code: str | None
    version: int | None
    completed_at: dt.datetime
    arrived: float  # time.monotonic() at arrival

    @property
    def accepted(self) -> bool:
        return self.status == "ACCEPTED"


Decoder = Callable[[bytes, float], Answer]


class OutcomeWatch:
    """Collect the first outcome of each awaited command id that arrives after its send."""

    def __init__(self, bootstrap: str, decode: Decoder, catch_up_s: float = 15.0) -> None:
        self._decode = decode
        # read_uncommitted: librdkafka then reads up to the high watermark, not the
        # broker's last stable offset, which Tansu reports as wrongly as its end offsets
        # (Zaiko uses no transactions, so nothing is lost by not waiting for commits).
        self._consumer = Consumer({
            "bootstrap.servers": bootstrap, "enable.auto.commit": False,
            "group.id": f"zaiko-simulation-{uuid.uuid4().hex[:8]}",
            "isolation.level": "read_uncommitted",
            # Tansu answers a fetch only when its max wait expires: keep it short
            "fetch.wait.max.ms": 20,
        })  # fmt: skip
        topic = self._consumer.list_topics(COMMAND_RESULTS_TOPIC, timeout=10).topics
        partitions = sorted(topic[COMMAND_RESULTS_TOPIC].partitions)
        self._tps = [TopicPartition(COMMAND_RESULTS_TOPIC, p, OFFSET_BEGINNING) for p in partitions]
        self._consumer.assign(self._tps)
        self._lock = threading.Lock()
        self._expected: set[str] = set()
        self._sent: dict[str, float] = {}
        self.answers: dict[str, Answer] = {}
        self.earlier: dict[str, Answer] = {}  # outcomes read before their command was sent
        self.errors: list[str] = []  # consumer errors and undecodable records, for the report
        self._stop = threading.Event()
        self._caught_up = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outcome-watch", daemon=True)
        self._thread.start()
        self._caught_up.wait(catch_up_s)

    def expect(self, command_ids: Iterable[str]) -> None:
        """Watch for ``command_ids`` (outcomes of other ids are skipped undecoded)."""
        with self._lock:
            self._expected.update(command_ids)

    def sent(self, command_ids: Iterable[str], at: float | None = None) -> None:
        """Note that ``command_ids`` were just produced."""
        moment = time.monotonic() if at is None else at
        with self._lock:
            for command_id in command_ids:
                self._sent.setdefault(command_id, moment)

    def sent_at(self, command_id: str) -> float:
        return self._sent[command_id]

    def answered(self, command_ids: Iterable[str]) -> int:
        """Return how many of ``command_ids`` have an answer."""
        with self._lock:
            return sum(1 for c in command_ids if c in self.answers)

    def error_note(self) -> str | None:
        """Return a one-line (rich markup) warning about what could not be read, if anything."""
        if not self.errors:
            return None
        return (f"[yellow]{len(self.errors)} error(s) reading command.results, "
                f"first: {self.errors[0]}[/]")  # fmt: skip

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self._consumer.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._poll()
            except Exception as e:  # keep watching: one bad record must not end the run
                self.errors.append(repr(e))
                time.sleep(0.1)

    def _poll(self) -> None:
        messages = self._consumer.consume(1000, timeout=0.1)
        now = time.monotonic()
        with self._lock:
            for message in messages:
                if message.error() is not None:
                    self.errors.append(str(message.error()))
                    continue
                try:  # one unreadable record must not cost the rest of the batch
                    self._take(message, now)
                except Exception as e:
                    self.errors.append(repr(e))
        if not self._caught_up.is_set() and self._at_high_watermarks():
            self._caught_up.set()

    def _take(self, message: Any, now: float) -> None:
        key = (message.key() or b"").decode(errors="replace")
        if key not in self._expected or key in self.answers:
            return
        if key not in self._sent:
            self.earlier[key] = self._decode(message.value() or b"", now)
            return
        self.answers[key] = self._decode(message.value() or b"", now)

    def _at_high_watermarks(self) -> bool:
        positions = self._consumer.position(self._tps)
        for tp in positions:
            _, high = self._consumer.get_watermark_offsets(tp, cached=True)
            if high < 0 or (tp.offset < high and not (tp.offset < 0 and high == 0)):
                return False
        return True
