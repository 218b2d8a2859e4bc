"""Wire the worker's notifier: build it from settings and schedule its evaluation rounds."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from typing import TYPE_CHECKING

import faust
import redis

from connectors.notifications import (
    BusinessHours,
    Evaluator,
    SharedState,
    SiteWatch,
    ThresholdTracker,
    outgoing,
    published,
)
from connectors.notifications.shared import notification_client
from schemas import INVENTORY_NOTIFICATIONS_TOPIC
from streams.handling import BatchAbandoned
from streams.notify import WorkerNotifier
from streams.settings import WorkerSettings

if TYPE_CHECKING:
    from streams.runtime import CommandRuntime

log = logging.getLogger(__name__)


def build_notifier(
    settings: WorkerSettings, app: faust.App, client: redis.Redis | None = None
) -> WorkerNotifier:
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
