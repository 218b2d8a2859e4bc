"""Follow ``inventory.alerts`` and print each low-stock alert as it comes (``zaiko alerts tail``).

The topic is read from the beginning without a consumer group: the embedded broker's
ListOffsets(LATEST) is not trustworthy, so "from now on" is a filter on the record's
timestamp, not a seek to the end. Alerts are few (one per crossing), so this stays cheap.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from connectors.kafka.follow import follow_topic
from schemas import INVENTORY_ALERTS_TOPIC, LowStockAlert, decode_alert

T = TypeVar("T")
JAPAN = ZoneInfo("Asia/Tokyo")
COLUMNS = (("発生日時 (JST)", 19), ("商品ID", 14), ("倉庫", 4), ("区画", 7),
           ("有効在庫数", 10), ("閾値", 6), ("アラートID", 40))  # fmt: skip


@dataclass(frozen=True)
class TailFilter:
    """Which alerts to show: since when (epoch ms, None = all) and of which product."""

    since_ms: int | None = None
    product_id: str | None = None

    def keeps(self, timestamp_ms: int, alert: LowStockAlert) -> bool:
        """Return True when the alert passes the filter."""
        if self.since_ms is not None and timestamp_ms < self.since_ms:
            return False
        return self.product_id is None or alert.product_id == self.product_id


def follow_alerts(
    bootstrap_servers: str, keep: TailFilter, stop: Callable[[], bool], poll_s: float = 0.5
) -> Iterator[LowStockAlert | str]:
    """Yield alerts as they arrive (or a warning text for an undecodable record) until ``stop``."""
    return follow_topic(bootstrap_servers, INVENTORY_ALERTS_TOPIC, decode_alert, keep.keeps, stop,
                        name="zaiko-alerts-tail", poll_s=poll_s)  # fmt: skip


def alert_json(alert: LowStockAlert) -> str:
    """Return one alert as a JSON line (Japanese kept readable)."""
    document: dict[str, Any] = asdict(alert)
    document["occurred_at"] = alert.occurred_at.isoformat()
    return json.dumps(document, ensure_ascii=False)


def alert_row(alert: LowStockAlert, header: bool) -> Table:
    """Return a one-row table for an alert; fixed widths keep successive rows aligned."""
    table = Table(show_header=header, box=None, pad_edge=False, header_style="bold")
    for title, width in COLUMNS:
        justify = "right" if title in ("有効在庫数", "閾値") else "left"
        table.add_column(title, width=width, no_wrap=True, justify=justify)  # type: ignore[arg-type]
    at = alert.occurred_at.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M:%S")
    available = f"[bold red]{alert.available}[/]" if alert.available <= 0 else str(alert.available)
    table.add_row(at, alert.product_id, alert.warehouse_id, alert.zone_id, available,
                  str(alert.threshold), alert.alert_id)  # fmt: skip
    return table


def tail(
    bootstrap_servers: str,
    console: Console,
    *,
    from_beginning: bool = False,
    product_id: str | None = None,
    count: int | None = None,
    timeout_s: float | None = None,
    as_json: bool = False,
) -> int:
    """Print alerts until ``count`` were shown or ``timeout_s`` passed; return how many."""
    keep = TailFilter(None if from_beginning else int(time.time() * 1000), product_id)
    return print_followed(lambda stop: follow_alerts(bootstrap_servers, keep, stop), console,
                          count=count, timeout_s=timeout_s, as_json=as_json, to_json=alert_json,
                          to_row=alert_row)  # fmt: skip


def print_followed(
    follow: Callable[[Callable[[], bool]], Iterator[T | str]],
    console: Console,
    *,
    count: int | None,
    timeout_s: float | None,
    as_json: bool,
    to_json: Callable[[T], str],
    to_row: Callable[[T, bool], Table],
) -> int:
    """Print what ``follow(stop)`` yields until ``count`` or ``timeout_s``; return how many."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    shown = 0

    def stop() -> bool:
        done = count is not None and shown >= count
        return done or (deadline is not None and time.monotonic() > deadline)

    for item in follow(stop):
        if isinstance(item, str):
            console.print(f"[yellow]warning:[/] {item}", highlight=False)
            continue
        if as_json:
            console.print(to_json(item), highlight=False, soft_wrap=True)
        else:
            console.print(to_row(item, shown == 0))
        shown += 1
        if count is not None and shown >= count:
            break  # closes the generator, hence the consumer
    return shown
