"""Read inventory.notifications from the beginning with a plain consumer (no ListOffsets)."""

from __future__ import annotations

from typing import Any

from schemas import INVENTORY_NOTIFICATIONS_TOPIC, Notification, decode_notification
from tests.integration.streams.kafka_io import TopicReader


class Notifications:
    """Every notification of one subject seen so far, in topic order (one reader per test)."""

    def __init__(self, bootstrap: str) -> None:
        self.reader = TopicReader(bootstrap, INVENTORY_NOTIFICATIONS_TOPIC)
        self.seen: list[tuple[Any, Notification]] = []

    def wait_for(self, subject: str, states: list[str], timeout_s: float,
                 kind: str | None = None) -> list[Notification]:  # fmt: skip
        """Read until ``subject`` has had ``states`` in order; return its notifications."""

        def keep(message: Any) -> bool:
            if (message.key() or b"").decode() != subject:
                return False
            found = decode_notification(message.value())
            headers = dict(message.headers() or [])
            self.seen.append((headers, found))
            return True

        def done(_: list[Any]) -> bool:
            return [n.state.value for n in self.of(subject, kind)][: len(states)] == states

        self.reader.read_until(keep, done, timeout_s)
        return self.of(subject, kind)

    def of(self, subject: str, kind: str | None = None) -> list[Notification]:
        """Return the notifications read so far about ``subject`` (of ``kind``)."""
        return [n for _, n in self.seen
                if n.subject == subject and (kind is None or n.kind.value == kind)]  # fmt: skip

    def close(self) -> None:
        self.reader.close()


def distinct(found: list[Notification]) -> list[str]:
    """Return the states of ``found`` with republished copies (same id) counted once."""
    ids: dict[str, str] = {}
    for n in found:
        ids.setdefault(n.notification_id, n.state.value)
    return list(ids.values())
