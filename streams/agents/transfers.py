"""The transfer agent: OUT legs on ``inventory.events`` -> the transfer process manager.

Design choice: the follow-up steps are handed to the command handler in-process
rather than produced to ``inventory.commands`` and correlated on ``command.results``.
The handler is plain and thread-safe, its idempotency (outcome store + journal) makes
every deterministic step id safe to re-run, and the conditional append (with reload
and retry) already protects the destination and source against the inventory agent
writing the same aggregate at the same time. A Kafka round trip would add a
correlation table that a crash loses, two more hops of latency, and nothing in
safety. The step outcomes are still published on ``command.results`` (key =
``<tid>:<step>``) so callers can follow a transfer there.

Recovery: the agent commits an OUT event only after driving it (concurrency 1), so
a worker killed mid-transfer gets the event again; a periodic journal sweep (also at
start-up) settles whatever an exhausted retry or a lost event left pending.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import Any

import faust

from connectors.eventstore.port import JournalEntry
from schemas import decode_event, event_topic_for
from schemas.topics import HEADER_EVENT_TYPE
from streams.runtime import CommandRuntime
from streams.transfers import Drive, TransferManager, outbound, sweep
from streams.transfers.model import LEG_TYPES

log = logging.getLogger(__name__)
DRIVE_BACKOFF_S = (0.2, 1.0, 3.0, 10.0)
SWEEP_INTERVAL_S = 300.0

Scan = Callable[[], Iterable[JournalEntry]]


def register(app: faust.App, runtime: CommandRuntime, journal_scan: Scan) -> Any:
    """Register the transfer agent and its recovery sweep (reading ``journal_scan``) on ``app``."""
    manager = TransferManager(runtime.handler)
    topic = app.topic(event_topic_for("inventory"), key_serializer="raw", value_serializer="raw")

    async def transfer_manager(stream: faust.StreamT[Any]) -> None:
        async for event in stream.events():
            try:
                await _react(runtime, manager, event.message)
            except Exception:  # Faust would ack it anyway; the sweep settles it later
                log.exception("transfer event %s@%s not driven", event.message.partition,
                              event.message.offset)  # fmt: skip

    async def sweep_pending() -> None:
        try:
            drives = await runtime.run_blocking(lambda: sweep(manager, journal_scan()))
            await _publish(runtime, drives)
        except Exception:
            log.exception("transfer sweep failed; the next one retries")

    # at once: the sweep reads the whole journal, which is smallest the sooner it runs,
    # and a transfer a crash left half-done should not wait; the agent and the sweep
    # may drive the same transfer, which its deterministic step ids make safe
    app.task(sweep_pending)

    app.timer(interval=SWEEP_INTERVAL_S)(sweep_pending)
    return app.agent(topic, name="transfer_manager", concurrency=1)(transfer_manager)


async def _react(runtime: CommandRuntime, manager: TransferManager, message: Any) -> None:
    if _header(message, HEADER_EVENT_TYPE) not in LEG_TYPES:
        return  # most events are not transfer legs: skip them without decoding
    transfer = outbound(decode_event(message.value, upcast=False))
    if transfer is None:
        return
    for delay in (*DRIVE_BACKOFF_S, None):
        try:
            drive = await runtime.run_blocking(manager.drive, transfer)
        except Exception:
            if delay is None:
                raise
            log.warning("transfer %s: retrying", transfer.transfer_id, exc_info=True)
            await asyncio.sleep(delay)
        else:
            await _publish(runtime, [drive])
            return


async def _publish(runtime: CommandRuntime, drives: Iterable[Drive]) -> None:
    """Publish the steps' outcomes and wait for the acks (the OUT event commits after)."""
    await runtime.publish(
        [runtime.outcome_message(outcome) for drive in drives for outcome in drive.outcomes]
    )


def _header(message: Any, name: str) -> str | None:
    headers = message.headers or ()
    pairs = headers.items() if isinstance(headers, dict) else headers
    for key, value in pairs:
        if key == name:
            return bytes(value).decode() if value is not None else None
    return None
