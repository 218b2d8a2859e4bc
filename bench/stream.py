"""A steady stream of receipts at a fixed rate, in a thread, remembering when each was sent."""

from __future__ import annotations

import threading
import time
import uuid

from bench.kafka_io import OutcomeWatch, encoded, producer
from domain import ReceiveStock
from schemas import CommandEnvelope, CommandMeta, now_millis


def receipt(inventory: str) -> tuple[str, tuple[str, bytes, bytes]]:
    """Return a new receipt of one unit on ``inventory``: its command id and (topic, key, value)."""
    command_id = f"bench-recovery-{uuid.uuid4().hex}"
    meta = CommandMeta(command_id=command_id, aggregate_id=inventory, issued_at=now_millis(),
                       channel="bench", correlation_id=command_id)  # fmt: skip
    return command_id, encoded(CommandEnvelope(meta, ReceiveStock(inventory, 1)))


class SteadyStream:
    """Produce one receipt every ``1 / rate`` s, round robin over ``inventories``, until stopped."""

    def __init__(
        self, bootstrap: str, watch: OutcomeWatch, inventories: list[str], rate: float
    ) -> None:
        self.bootstrap, self.watch, self.rate = bootstrap, watch, rate
        self.inventories = inventories
        self.sent: dict[str, float] = {}  # command id -> time.monotonic() when produced
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="steady-stream")

    def start(self) -> SteadyStream:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        out = producer(self.bootstrap, linger_ms=0)
        started, i = time.monotonic(), 0
        while not self._stop.is_set():
            delay = started + i / self.rate - time.monotonic()
            if delay > 0 and self._stop.wait(delay):  # pacing, and a prompt stop
                break
            command_id, (topic, key, value) = receipt(self.inventories[i % len(self.inventories)])
            self.watch.expect([command_id])
            self.sent[command_id] = time.monotonic()
            out.produce(topic, value, key)
            out.poll(0)
            i += 1
        out.flush(30)
