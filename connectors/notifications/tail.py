"""Follow ``inventory.notifications`` (``zaiko alerts tail --notifications [--kind K]``).

Read from the beginning without a consumer group, like the low-stock tail: "from now
on" is a filter on the record's timestamp, never a seek on ListOffsets.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from connectors.alerts.tail import JAPAN, print_followed
from connectors.kafka.follow import follow_topic
from connectors.notifications.records import STATE_LABELS, TITLES
from schemas import (
    INVENTORY_NOTIFICATIONS_TOPIC,
    Notification,
    NotificationKind,
    NotificationState,
    decode_notification,
)

COLUMNS = (("発生日時 (JST)", 19), ("種別", 14), ("状態", 4), ("対象", 26), ("内容", 70))
_BY_LABEL = {label: kind for kind, label in TITLES.items()}


def parse_kinds(values: Iterable[str]) -> frozenset[NotificationKind]:
    """Return the kinds named (enum names in any case, or Japanese labels; commas allowed)."""
    kinds = set()
    for value in values:
        for name in filter(None, (part.strip() for part in value.split(","))):
            kind = _BY_LABEL.get(name) or NotificationKind.__members__.get(name.upper())
            if kind is None:
                choices = ", ".join([*NotificationKind.__members__, *_BY_LABEL])
                raise ValueError(f"unknown notification kind {name!r} (one of {choices})")
            kinds.add(kind)
    return frozenset(kinds)


@dataclass(frozen=True)
class NotificationFilter:
    """Which notifications to show: since when (epoch ms, None = all) and of which kinds."""

    since_ms: int | None = None
    kinds: frozenset[NotificationKind] = frozenset()

    def keeps(self, timestamp_ms: int, n: Notification) -> bool:
        """Return True when the notification passes the filter."""
        if self.since_ms is not None and timestamp_ms < self.since_ms:
            return False
        return not self.kinds or n.kind in self.kinds


def follow_notifications(bootstrap_servers: str, keep: NotificationFilter, stop: Callable[[], bool],
                         poll_s: float = 0.5) -> Iterator[Notification | str]:  # fmt: skip
    """Yield notifications as they arrive (or a warning text for an undecodable record)."""
    topic, name = INVENTORY_NOTIFICATIONS_TOPIC, "zaiko-notifications-tail"
    return follow_topic(bootstrap_servers, topic, decode_notification, keep.keeps, stop,
                        name=name, poll_s=poll_s)  # fmt: skip


def notification_json(n: Notification) -> str:
    """Return one notification as a JSON line (Japanese kept readable)."""
    document: dict[str, Any] = asdict(n)
    document["occurred_at"] = n.occurred_at.isoformat()
    return json.dumps(document, ensure_ascii=False)


def notification_row(n: Notification, header: bool) -> Table:
    """Return a one-row table for a notification; fixed widths keep rows aligned."""
    table = Table(show_header=header, box=None, pad_edge=False, header_style="bold")
    for title, width in COLUMNS:
        table.add_column(title, width=width, no_wrap=title != "内容")
    at = n.occurred_at.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M:%S")
    colour = "green" if n.state is NotificationState.CLEARED else "bold red"
    state = f"[{colour}]{STATE_LABELS[n.state]}[/]"
    table.add_row(at, TITLES[n.kind], state, n.subject, n.message)
    return table


def tail_notifications(bootstrap_servers: str, console: Console, *, from_beginning: bool = False,
                       kinds: frozenset[NotificationKind] = frozenset(), count: int | None = None,
                       timeout_s: float | None = None, as_json: bool = False) -> int:  # fmt: skip
    """Print notifications until ``count`` were shown or ``timeout_s`` passed; return how many."""
    keep = NotificationFilter(None if from_beginning else int(time.time() * 1000), kinds)
    return print_followed(lambda stop: follow_notifications(bootstrap_servers, keep, stop),
                          console, count=count, timeout_s=timeout_s, as_json=as_json,
                          to_json=notification_json, to_row=notification_row)  # fmt: skip
