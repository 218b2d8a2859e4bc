"""Build Notification records: stable ids, Japanese titles, severities, and their messages."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from connectors.notifications.metrics import NOTIFICATIONS
from schemas import (
    INVENTORY_NOTIFICATIONS_TOPIC,
    Notification,
    NotificationKind,
    NotificationSeverity,
    NotificationState,
    encode,
    schema_name_of,
)
from schemas.topics import HEADER_MESSAGE_TYPE

log = logging.getLogger(__name__)
Kind = NotificationKind
State = NotificationState
# The ids are uuid5 of what identifies one transition, so a notification published
# again after a crash (or by a second instance racing) carries the same id.
_NAMESPACE = uuid.UUID("6f1d3c2e-5b7a-4c1e-9a0d-2e8f4b6c1a37")
TITLES = {
    Kind.ALLOCATION_FAILED: "引当失敗",
    Kind.PROCESSING_DELAYED: "受払処理の遅延",
    Kind.SITE_SILENT: "拠点死活",
    Kind.AGGREGATE_PARKED: "集約の停止",
}
STATE_LABELS = {State.RAISED: "発生", State.CLEARED: "解消"}
_SEVERITY = {
    Kind.ALLOCATION_FAILED: NotificationSeverity.WARNING,
    Kind.PROCESSING_DELAYED: NotificationSeverity.WARNING,
    Kind.SITE_SILENT: NotificationSeverity.WARNING,
    Kind.AGGREGATE_PARKED: NotificationSeverity.CRITICAL,
}

Outgoing = tuple[str, bytes, bytes, dict[str, bytes]]  # topic, key, value, headers


def notification_id(kind: Kind, state: State, subject: str, episode: str) -> str:
    """Return the stable id of one transition of ``subject`` (``episode`` tells them apart)."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind.value}|{state.value}|{subject}|{episode}"))


def notification(kind: Kind, state: State, subject: str, episode: str, message: str,
                 **fields: Any) -> Notification:  # fmt: skip
    """Return the notification of one transition; CLEARED ones are INFO."""
    severity = NotificationSeverity.INFO if state is State.CLEARED else _SEVERITY[kind]
    return Notification(
        notification_id=notification_id(kind, state, subject, episode),
        kind=kind, state=state, severity=severity, subject=subject,
        title=f"{TITLES[kind]}{STATE_LABELS[state]}", message=message,
        occurred_at=fields.pop("at", None) or dt.datetime.now(dt.UTC), **fields,
    )  # fmt: skip


def outgoing(n: Notification) -> Outgoing:
    """Return topic, key (the subject), value and headers of ``n``."""
    headers = {HEADER_MESSAGE_TYPE: schema_name_of(n).encode()}
    return INVENTORY_NOTIFICATIONS_TOPIC, n.subject.encode(), encode(n), headers


def published(n: Notification) -> None:
    """Count ``n`` and log it as one structured line (call once the broker acked it)."""
    NOTIFICATIONS.labels(kind=n.kind.value, state=n.state.value).inc()
    fields = {"event": "notification", "notification_id": n.notification_id,
              "kind": n.kind.value, "state": n.state.value, "severity": n.severity.value,
              "subject": n.subject, "code": n.code, "observed": n.observed,
              "threshold": n.threshold}  # fmt: skip
    level = logging.INFO if n.state is State.CLEARED else logging.WARNING
    log.log(level, "%s %s: %s", n.title, n.subject, n.message, extra={"fields": fields})
