"""The worker's notifications: 引当失敗 per batch, 受払処理の遅延 and 拠点死活 per round.

Nothing here may hold up a command: a Redis failure costs the notifications of that
batch or round (logged), never an answer.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import faust

from connectors.notifications import (
    AllocationWatch,
    Answered,
    BusinessHours,
    Evaluator,
    LatencyProbe,
    Round,
    SharedState,
    SiteWatch,
    ThresholdTracker,
    outgoing,
    published,
)
from connectors.notifications.shared import notification_client
from domain.errors import DomainError
from domain.ids import ZoneId
from schemas import INVENTORY_NOTIFICATIONS_TOPIC, Notification
from streams.handling import Answer, BatchAbandoned
from streams.handling.intake import Command, Intake
from streams.settings import WorkerSettings

if TYPE_CHECKING:
    from streams.runtime import CommandRuntime

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
        if time.monotonic() < self._redis_back_at:
            return Notices()  # Redis failed lately: spare the batch another timeout
        try:
            self.shared.touch_sites(dict.fromkeys(_warehouses(intakes), time.time()))
            if aggregate_type != "inventory":
                return Notices()
            found, closing = self.allocation.notice(_answered(intakes, answers))
            return Notices(found, closing)
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


def build_notifier(settings: WorkerSettings, app: faust.App, client: Any = None) -> WorkerNotifier:
    """Build the worker's notifier from its settings (``client``: a Redis client to use)."""
    shared = SharedState(
        client or notification_client(settings.effective_redis_url),
        "worker",
        _instance(),
        prefix=f"zaiko:notify:{settings.app_id}",
    )  # one deployment's workers
    delay = ThresholdTracker(settings.command_delay_threshold_s, settings.command_delay_window_s)
    hours = BusinessHours.parse(settings.site_business_hours, settings.site_business_days)
    evaluator = Evaluator(shared, delay, settings.notify_interval_s,
                          SiteWatch(settings.site_silence_s, hours))  # fmt: skip
    topic = app.topic(INVENTORY_NOTIFICATIONS_TOPIC, key_serializer="raw", value_serializer="raw")
    return WorkerNotifier(shared, evaluator, topic)


def schedule_notifications(app: faust.App, runtime: CommandRuntime, interval_s: float) -> None:
    """Run an evaluation round every ``interval_s`` on the worker's loop."""

    @app.timer(interval_s)  # type: ignore[untyped-decorator]
    async def notification_round() -> None:
        notifier = runtime.notifier
        if notifier is None or runtime.stopping():
            return
        try:
            found = await runtime.run_blocking(notifier.round, time.time())
            if found.notifications:
                messages = [(notifier.topic, *outgoing(n)[1:]) for n in found.notifications]
                await runtime.publish(messages)
                for n in found.notifications:
                    published(n)
            await runtime.run_blocking(found.commit)
        except BatchAbandoned:
            return  # the worker stops; the next leader decides again from the same state
        except Exception as e:  # the next round decides again from the same state
            log.warning("notification round failed: %s", e)


def _instance() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
