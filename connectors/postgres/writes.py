"""What a handler returns: SQL statements with parameters, executed in the event's order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from schemas import EventMeta

JAPAN = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Write:
    """One parameterised statement; statements with the same ``sql`` are prepared once."""

    sql: str
    params: tuple[Any, ...]


MasterHandler = Callable[[EventMeta, Any], list[Write]]


def japan_date(moment: dt.datetime) -> dt.date:
    """Return the business day (Japan time) an instant falls on."""
    return moment.astimezone(JAPAN).date()
