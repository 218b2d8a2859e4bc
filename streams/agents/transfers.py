"""The transfer agent: OUT legs on ``inventory.events`` -> the transfer process manager.

Design choice: the follow-up steps are handed to the command handler in-process
rather than produced to ``inventory.commands`` and correlated on ``command.results``.
The handler is plain and thread-safe, its idempotency (outcome store + journal) makes
every deterministic step id safe to re-run, and the conditional append (with reload
and retry) already protects the destination and source against the inventory agent
writing the same aggregate at the same time. A Kafka round trip would add a
correlation table that a crash loses, two more hops of latency, and nothing in
safety. The step outcomes are still published on ``command.results`` (key = the step's
id, ``~transfer/<source>/<tid>/<out seq>/<step>``) so callers can follow a transfer there.

Recovery: the agent commits an OUT event only after driving it (concurrency 1), so
a worker killed mid-transfer gets the event again; a settled transfer's entry leaves
the open-transfers index. A sweep of that index (``streams.transfers.sweep``, at
start-up and every ``SWEEP_INTERVAL_S``) settles whatever an exhausted retry or a lost
event left open, without reading the journal.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import faust

from connectors.open_transfers import OpenTransfer, OpenTransferIndex
from schemas import decode_event, event_topic_for
from schemas.topics import HEADER_EVENT_TYPE
from streams.agents.acks import processed_events, until_abandoned
from streams.runtime import CommandRuntime, pause
from streams.transfers import Drive, Sweep, Transfer, TransferManager, opening
from streams.transfers.model import LEG_TYPES

log = logging.getLogger(__name__)
DRIVE_BACKOFF_S = (0.2, 1.0, 3.0, 10.0)
KEEP_OPEN_BACKOFF_S = (0.5, 2.0, 5.0, 10.0)  # then every 10 s until the entry is written
SWEEP_INTERVAL_S = 60.0  # a sweep costs a Scan of the open transfers only (see sweep.py)


def register(app: faust.App, runtime: CommandRuntime, index: OpenTransferIndex,
             owner: str) -> Sweep:  # fmt: skip
    """Register the transfer agent and its recovery sweep on ``app``; return the sweep."""
    manager = TransferManager(runtime.handler)
    recovery = Sweep(manager, index, owner)
    topic = app.topic(event_topic_for("inventory"), key_serializer="raw", value_serializer="raw")

    async def transfer_manager(stream: faust.StreamT[Any]) -> None:
        async for event in processed_events(stream):  # acked only once driven
            try:
                await _react(runtime, manager, index, event.message)
            except Exception:  # Faust would ack it anyway; the sweep settles it later
                log.exception("transfer event %s@%s not driven", event.message.partition,
                              event.message.offset)  # fmt: skip

    async def sweep_pending() -> None:
        try:
            await _publish(runtime, await runtime.run_blocking(recovery))
        except Exception:
            log.exception("transfer sweep failed; the next one retries")

    # at once too: a transfer a crash left half-done should not wait for the first tick
    app.task(sweep_pending)
    app.timer(interval=SWEEP_INTERVAL_S)(sweep_pending)
    app.agent(topic, name="transfer_manager", concurrency=1)(until_abandoned(transfer_manager))
    return recovery


async def _react(
    runtime: CommandRuntime, manager: TransferManager, index: OpenTransferIndex, message: Any
) -> None:
    if _header(message, HEADER_EVENT_TYPE) not in LEG_TYPES:
        return  # most events are not transfer legs: skip them without decoding
    envelope = decode_event(message.value, upcast=False)
    opened = opening(envelope, written_at_ms=0)
    if opened is None:
        return
    transfer = Transfer.of(opened)
    for delay in (*DRIVE_BACKOFF_S, None):
        try:
            drive = await runtime.run_blocking(manager.drive, transfer)
        except Exception:
            if delay is None:
                await _keep_open(runtime, index, opened)
                raise
            log.warning("transfer %s: retrying", transfer.transfer_id, exc_info=True)
            await pause(delay, runtime.stopping)
        else:
            await _publish(runtime, [drive])
            await _forget(runtime, index, opened)
            return


async def _keep_open(
    runtime: CommandRuntime, index: OpenTransferIndex, opened: OpenTransfer
) -> None:
    """Write the entry again, so the sweep finds it: it may be gone if the OUT landed late.

    Until it is written: the OUT event is acked after this, and a transfer neither driven
    nor indexed would wait for an operator's ``zaiko transfers reindex``. Only the
    transfer agent waits meanwhile (concurrency 1); commands go on. A stopping worker
    gives it up (``BatchAbandoned``): the OUT event stays unacked, for redelivery, so
    neither a shutdown nor a rebalance waits on an index that does not answer.
    """
    delays = iter(KEEP_OPEN_BACKOFF_S)
    while True:
        try:
            again = replace(opened, written_at_ms=round(time.time() * 1000))
            await runtime.run_blocking(index.open, again)
            return
        except Exception:
            delay = next(delays, KEEP_OPEN_BACKOFF_S[-1])
            log.error("transfer %s: not driven and not indexed yet; retrying in %.1f s",
                      opened.transfer_id, delay, exc_info=True)  # fmt: skip
            await pause(delay, runtime.stopping)


async def _forget(runtime: CommandRuntime, index: OpenTransferIndex, opened: OpenTransfer) -> None:
    """Remove a settled transfer's entry (its OUT is in the journal, so it stays settled).

    Only the entry this OUT leg wrote: this may be a late copy of an earlier transfer's
    OUT, and the entry a later transfer of the same id (written before its OUT append).
    """
    try:
        await runtime.run_blocking(index.close_opened, opened)
    except Exception:
        log.warning("transfer %s: entry kept; the sweep removes it", opened.transfer_id,
                    exc_info=True)  # fmt: skip


async def _publish(runtime: CommandRuntime, drives: Iterable[Drive]) -> None:
    """Publish the steps' outcomes and wait for the acks (the OUT event commits after)."""
    drives = list(drives)
    notifier = runtime.notifier
    notices = (
        await runtime.run_blocking(notifier.notice_transfer_legs, drives) if notifier else None
    )
    outgoing = [runtime.outcome_message(outcome) for drive in drives for outcome in drive.outcomes]
    if notifier is not None and notices is not None and notices.notifications:
        outgoing += notifier.messages(notices)
    await runtime.publish(outgoing)
    if notifier is not None and notices is not None and notices.notifications:
        await runtime.run_blocking(notifier.done, notices)


def _header(message: Any, name: str) -> str | None:
    headers = message.headers or ()
    pairs = headers.items() if isinstance(headers, dict) else headers
    for key, value in pairs:
        if key == name:
            return bytes(value).decode() if value is not None else None
    return None
