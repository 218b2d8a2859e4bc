"""Business hours in Japan time: when a warehouse's silence means something."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

JAPAN = ZoneInfo("Asia/Tokyo")


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    value = int(hours) * 60 + int(minutes)
    if not 0 <= value <= 24 * 60:
        raise ValueError(f"not a time of day: {text!r}")
    return value


@dataclass(frozen=True)
class BusinessHours:
    """Opening and closing (minutes after midnight, JST) on ``weekdays`` (0 = Monday)."""

    opens: int = 8 * 60
    closes: int = 20 * 60
    weekdays: frozenset[int] = frozenset(range(5))

    @classmethod
    def parse(cls, hours: str, weekdays: list[int] | frozenset[int]) -> BusinessHours:
        """Return the hours of ``"08:00-20:00"`` (``24:00`` allowed) on ``weekdays``."""
        opens, closes = (_minutes(part) for part in hours.split("-"))
        if opens >= closes:
            raise ValueError(f"business hours must open before they close: {hours!r}")
        if not set(weekdays) <= set(range(7)):
            raise ValueError(f"weekdays are 0 (Monday) to 6: {sorted(weekdays)}")
        return cls(opens, closes, frozenset(weekdays))

    def opened_at(self, now: float) -> float | None:
        """Return when the business period ``now`` falls in opened (epoch s), or None if closed."""
        local = dt.datetime.fromtimestamp(now, JAPAN)
        if local.weekday() not in self.weekdays:
            return None
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        minute = (local - midnight).total_seconds() / 60
        if not self.opens <= minute < self.closes:
            return None
        return (midnight + dt.timedelta(minutes=self.opens)).timestamp()
