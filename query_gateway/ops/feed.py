"""Low-stock alerts and notifications as they arrive, for the page (the last ``size`` of them).

Both topics are read with a plain consumer, assigned (no group, nothing committed),
from the beginning: the embedded broker's ListOffsets is not trustworthy. So the
start-up stays bounded, the first fetch of each partition tells its high watermark
(what the broker reported in that Fetch response), and the partition is moved to
``size`` records before it. Runs in a thread; ``stop`` ends it within ``poll_s``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict
from enum import Enum
from typing import Any

from connectors.kafka.follow import from_beginning, unjoined_consumer
from schemas import (
    INVENTORY_ALERTS_TOPIC,
    INVENTORY_NOTIFICATIONS_TOPIC,
    CodecError,
    decode_alert,
    decode_notification,
)

log = logging.getLogger(__name__)
Decoder = Callable[[bytes], dict[str, Any]]


def alert_item(value: bytes) -> dict[str, Any]:
    """Return a low-stock alert record as the page's feed item."""
    alert = decode_alert(value)
    return {"type": "alert", "id": alert.alert_id, **_plain(asdict(alert))}


def notification_item(value: bytes) -> dict[str, Any]:
    """Return a notification record as the page's feed item."""
    notification = decode_notification(value)
    return {"type": "notification", "id": notification.notification_id,
            **_plain(asdict(notification))}  # fmt: skip


DECODERS: dict[str, Decoder] = {
    INVENTORY_ALERTS_TOPIC: alert_item,
    INVENTORY_NOTIFICATIONS_TOPIC: notification_item,
}


class FeedReader(threading.Thread):
    """Follows the alert and notification topics; hands each item to ``deliver``."""

    def __init__(
        self,
        bootstrap_servers: str,
        deliver: Callable[[dict[str, Any]], None],
        size: int,
        poll_s: float = 0.5,
        decoders: dict[str, Decoder] | None = None,
    ) -> None:
        super().__init__(name="ops-feed", daemon=True)
        self.bootstrap_servers = bootstrap_servers
        self.decoders = decoders or DECODERS  # topic -> its records' decoder
        self.deliver = deliver
        self.size = size
        self.poll_s = poll_s
        self.stopping = threading.Event()

    def stop(self) -> None:
        """Ask the thread to end (it closes its consumer)."""
        self.stopping.set()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._follow()
            except Exception as exc:  # broker down or topic missing: say so, retry
                log.warning("ops feed: %s; retrying", exc)
                self.stopping.wait(5.0)

    def _follow(self) -> None:
        from confluent_kafka import TopicPartition

        # librdkafka's complaints go to the log as structured lines, not raw stderr
        consumer = unjoined_consumer(self.bootstrap_servers, "zaiko-ops-page", logger=log)
        try:
            # a topic not there (yet) raises: run() says so and retries
            consumer.assign(
                [
                    tp
                    for topic in self.decoders
                    for tp in from_beginning(consumer, topic, ready_only=True)
                ]
            )
            skip_below: dict[tuple[str, int], int] = {}
            while not self.stopping.is_set():
                for message in consumer.consume(200, timeout=self.poll_s):
                    if message.error() is not None:
                        continue
                    topic, offset = message.topic() or "", message.offset() or 0
                    where = (topic, message.partition() or 0)
                    if where not in skip_below:  # the partition's first fetch: skip to its tail
                        _, high = consumer.get_watermark_offsets(
                            TopicPartition(*where), cached=True
                        )
                        skip_below[where] = max(0, (high or 0) - self.size)
                        if offset < skip_below[where]:
                            consumer.seek(TopicPartition(*where, skip_below[where]))
                    if offset >= skip_below[where]:
                        self._deliver(topic, message.value() or b"")
        finally:
            consumer.close()

    def _deliver(self, topic: str, value: bytes) -> None:
        try:
            self.deliver(self.decoders[topic](value))
        except CodecError as exc:
            log.warning("ops feed: undecodable record on %s: %s", topic, exc)


def _plain(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v.value if isinstance(v, Enum) else v.isoformat() if hasattr(v, "isoformat")
            else v for k, v in document.items()}  # fmt: skip
