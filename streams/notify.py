"""The worker's notifications: 引当失敗 per batch, 受払処理の遅延 and 拠点死活 per round.

Nothing here may hold up a command: a Redis failure costs the notifications of that
batch or round (logged), never an answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.notifications import (
    AllocationWatch,
    Answered,
    Evaluator,
    LatencyProbe,
    Round,
    SharedState,
    outgoing,
    published,
)
from domain.errors import DomainError
from domain.ids import ZoneId
from schemas import Notification
from streams.handling import Answer
from streams.handling.intake import Command, Intake
from streams.transfers.manager import Drive

log = logging.getLogger(__name__)
COMMAND_OUTCOME = "command-outcome"
REDIS_PAUSE_S = 5.0  # after a Redis failure, batches skip notifications this long


@dataclass
class Notices:
    """The 引当失敗 notifications of one batch, and the inventories they close."""

    notifications: list[Notification] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


class WorkerNotifier:
    """Watches answered batches and runs the evaluation rounds of one worker."""

    def __init__(self, shared: SharedState, evaluator: Evaluator, topic: Any) -> None:
        self.shared = shared
        self.evaluator = evaluator
        self.allocation = AllocationWatch(shared)
        self.probe = LatencyProbe()
        self.topic = topic
        self._redis_back_at = 0.0

    def notice(self, aggregate_type: str, intakes: Sequence[Intake],
               answers: Sequence[Answer]) -> Notices:  # fmt: skip
        """Note the batch's warehouses; return its 引当失敗 notifications (blocking: Redis)."""
        seen = _warehouses(intakes)
        answered = _answered(intakes, answers) if aggregate_type == "inventory" else []
        return self._guarded(lambda: self._notice(seen, answered))

    def notice_transfer_legs(self, drives: Sequence[Drive]) -> Notices:
        """Return the 引当失敗 of IN legs the transfer manager ran (blocking: Redis).

        A destination zone refusing the product (STORAGE_CONDITION_VIOLATION) raises it;
        the inventory's next accepted IN leg clears it.
        """
        legs = [
            Answered(o.command_id, "TransferStockIn", o.aggregate_id, o.status == "ACCEPTED",
                     o.error_code, o.message)
            for d in drives for o in d.outcomes if o.aggregate_id != d.transfer.source
        ]  # fmt: skip
        return self._guarded(lambda: self._notice(set(), legs)) if legs else Notices()

    def _notice(self, warehouses: set[str], answered: list[Answered]) -> Notices:
        if warehouses:
            self.shared.touch_sites(dict.fromkeys(warehouses, time.time()))
        return Notices(*self.allocation.notice(answered)) if answered else Notices()

    def _guarded(self, work: Callable[[], Notices]) -> Notices:
        if time.monotonic() < self._redis_back_at:
            return Notices()  # Redis failed lately: spare the batch another timeout
        try:
            return work()
        except Exception as e:
            self._redis_back_at = time.monotonic() + REDIS_PAUSE_S
            log.warning("notifications skipped for %.0f s (Redis?): %s", REDIS_PAUSE_S, e)
            return Notices()

    def messages(self, notices: Notices) -> list[tuple[Any, bytes, bytes, dict[str, bytes]]]:
        """Return the batch's notifications as messages for the worker's publish."""
        return [(self.topic, *outgoing(n)[1:]) for n in notices.notifications]

    def done(self, notices: Notices) -> None:
        """Count and log what was published; close the 引当失敗 it cleared (blocking)."""
        for n in notices.notifications:
            published(n)
        try:
            self.shared.close_allocations(notices.closing)
        except Exception as e:
            log.warning("cleared 引当失敗 not forgotten (published again later): %s", e)

    def round(self, now: float) -> Round:
        """Report this worker's latency and, when leading, evaluate (blocking: Redis)."""
        return self.evaluator.round(self.probe.drain(now), now)


def _answered(intakes: Sequence[Intake], answers: Sequence[Answer]) -> list[Answered]:
    out = []
    for intake, answer in zip(intakes, answers, strict=True):
        outcome = answer.outcome
        if not isinstance(intake, Command) or outcome is None:
            continue
        command = intake.envelope.command
        accepted = outcome.status == "ACCEPTED"
        out.append(Answered(outcome.command_id, type(command).__name__, outcome.aggregate_id,
                            accepted, outcome.error_code, outcome.message))  # fmt: skip
    return out


def _warehouses(intakes: Sequence[Intake]) -> set[str]:
    """Return the warehouses the batch's commands are about (its sites that spoke)."""
    found: set[str] = set()
    for intake in intakes:
        if not isinstance(intake, Command):
            continue
        command = intake.envelope.command
        try:
            if (inventory_id := getattr(command, "inventory_id", None)) is not None:
                found.add(ZoneId(inventory_id.split("@", 1)[-1]).warehouse_id)
            elif (zone_id := getattr(command, "zone_id", None)) is not None:
                found.add(ZoneId(zone_id).warehouse_id)
            elif (warehouse_id := getattr(command, "warehouse_id", None)) is not None:
                found.add(str(warehouse_id))
        except DomainError:
            continue
    return found
