"""A paced stream of commands through a command handler, timed from when each was due."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from domain import ReceiveStock, aggregate_id_of
from domain.message import Command
from schemas import CommandEnvelope, CommandMeta, now_millis
from streams.handling import CommandHandler


def handle(handler: CommandHandler, command: Command) -> None:
    """Handle ``command`` as a worker would (outcome recorded); raise unless ACCEPTED."""
    meta = CommandMeta(
        command_id=str(uuid.uuid4()),
        aggregate_id=aggregate_id_of(command),
        issued_at=now_millis(),
        channel="bench",
        correlation_id="bench-sweep",
    )
    outcome = handler.handle(CommandEnvelope(meta, command))
    if outcome.status != "ACCEPTED":
        raise RuntimeError(f"bench command refused: {outcome}")


@contextmanager
def paced_stream(
    handler: CommandHandler, receivers: list[str], rate: float, latency: dict[str, list[float]]
) -> Iterator[Callable[[str], None]]:
    """Send ReceiveStock at ``rate``/s in a thread; yield a function naming the phase.

    A command's delay runs from when it was due, not from when the thread got to send
    it: a command held up makes the next ones late too, and they count that wait.
    """
    current, stop = ["baseline"], threading.Event()

    def send() -> None:
        n, started = 0, time.monotonic()
        while not stop.is_set():
            due = started + n / rate
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            phase = current[0]
            handle(handler, ReceiveStock(receivers[n % len(receivers)], 1))
            latency.setdefault(phase, []).append((time.monotonic() - due) * 1000)
            n += 1

    thread = threading.Thread(target=send, name="bench-stream", daemon=True)
    thread.start()
    try:
        yield lambda name: current.__setitem__(0, name)
    finally:
        stop.set()
        thread.join(timeout=30)
