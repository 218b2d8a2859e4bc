"""One unreadable record on command.results costs only itself, not the rest of its batch."""

from __future__ import annotations

import threading
from typing import Any

from simulation.outcomes import Answer, OutcomeWatch


class Record:
    def __init__(self, key: str, value: bytes) -> None:
        self._key, self._value = key.encode(), value

    def key(self) -> bytes:
        return self._key

    def value(self) -> bytes:
        return self._value

    def error(self) -> None:
        return None


class FakeConsumer:
    def __init__(self, records: list[Record]) -> None:
        self.records = records

    def consume(self, _: int, timeout: float) -> list[Record]:
        taken, self.records = self.records, []
        return taken


def decode(data: bytes, arrived: float) -> Answer:
    if data == b"bad":
        raise ValueError("not a CommandOutcome")
    return Answer(data.decode(), "ACCEPTED", None, 1, None, arrived)  # type: ignore[arg-type]


def test_a_bad_record_among_good_ones_loses_none_of_them() -> None:
    watch: Any = OutcomeWatch.__new__(OutcomeWatch)
    ids = [f"c-{n}" for n in range(5)]
    records = [Record(c, b"bad" if c == "c-2" else c.encode()) for c in ids]
    watch._consumer, watch._decode, watch._lock = FakeConsumer(records), decode, threading.Lock()
    watch._expected, watch._sent, watch.answers, watch.earlier = set(ids), {}, {}, {}
    watch.errors, watch._caught_up = [], threading.Event()
    watch._caught_up.set()
    watch.sent(ids)
    watch._poll()
    assert sorted(watch.answers) == ["c-0", "c-1", "c-3", "c-4"]
    assert watch.errors == ["ValueError('not a CommandOutcome')"]
