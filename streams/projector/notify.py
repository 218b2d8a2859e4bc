"""The projector's 受払処理の遅延 rounds: how far behind each event topic projection runs.

Each projector reports its worst lag per aggregate type (``projection:<type>``); the
one holding the Redis lease decides for all of them, so two projectors never raise
the same delay twice and a restarted one continues the condition where it stood.
Parked aggregates are notified with the batch that parks them (streams/projection).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from typing import Any

import faust

from connectors.notifications import Evaluator, SharedState, ThresholdTracker, outgoing, published
from connectors.notifications.shared import notification_client
from schemas import INVENTORY_NOTIFICATIONS_TOPIC
from streams.projector.runtime import ProjectionRuntime
from streams.projector.settings import ProjectorSettings
from streams.runtime import publish

log = logging.getLogger(__name__)


def build_evaluator(settings: ProjectorSettings, client: Any = None) -> Evaluator:
    """Return the projector's evaluator (``client``: a Redis client to use)."""
    instance = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    shared = SharedState(
        client or notification_client(settings.effective_redis_url),
        "projector",
        instance,
        prefix=f"zaiko:notify:{settings.projector_id}",
    )  # one deployment
    delay = ThresholdTracker(settings.projection_delay_threshold_s,
                             settings.projection_delay_window_s)  # fmt: skip
    return Evaluator(shared, delay, settings.notify_interval_s)


def schedule_notifications(
    app: faust.App, runtime: ProjectionRuntime, evaluator: Evaluator
) -> None:
    """Run an evaluation round every ``notify_interval_s`` on the projector's loop."""
    topic = runtime.topics[INVENTORY_NOTIFICATIONS_TOPIC]

    @app.timer(evaluator.interval_s)  # type: ignore[untyped-decorator]
    async def notification_round() -> None:
        if app.should_stop:
            return
        try:
            now = time.time()
            found = await runtime.run_blocking(evaluator.round, runtime.probe.drain(now), now)
            if found.notifications:
                await publish([(topic, *outgoing(n)[1:]) for n in found.notifications])
                for n in found.notifications:
                    published(n)
            await runtime.run_blocking(found.commit)
        except Exception as e:  # the next round decides again from the same state
            log.warning("notification round failed: %s", e)
