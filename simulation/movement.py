"""One command of the simulated business day, and the clock of that day."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

OPEN_S, CLOSE_S = 8 * 3600, 20 * 3600  # business hours 08:00-20:00 (JST)
ACCEPTED = "ACCEPTED"


@dataclass(frozen=True)
class Movement:
    """A command a channel sends at ``at_s`` seconds after midnight of the business day.

    ``expect`` is the outcome the day's author expects: ``ACCEPTED`` or a rejection code;
    competing reservations share a ``contest`` name (exactly one of them should win).
    """

    at_s: float
    channel: str
    command: str
    fields: dict[str, Any]
    kind: str = "normal"
    expect: str = ACCEPTED
    contest: str | None = None
    warehouse_id: str = ""
    zone_type: str = ""
    category: str = ""
    command_id: str = field(default="", compare=False)

    @property
    def aggregate_id(self) -> str:
        return str(self.fields["inventory_id"])


def clock(rng: random.Random, start_h: float, end_h: float, peak_h: float | None = None) -> float:
    """Draw a moment between two hours of the day, denser around ``peak_h``."""
    low, high = start_h * 3600, end_h * 3600
    mode = high if peak_h is None else peak_h * 3600
    if peak_h is None:
        return rng.uniform(low, high)
    return rng.triangular(low, high, mode)


def later(rng: random.Random, at_s: float, min_min: float, max_min: float) -> float:
    """Return a moment ``min_min``..``max_min`` minutes after ``at_s``, before closing."""
    return min(at_s + rng.uniform(min_min, max_min) * 60, CLOSE_S - 60)


def hhmm(at_s: float) -> str:
    """Format seconds after midnight as HH:MM."""
    return f"{int(at_s // 3600):02d}:{int(at_s % 3600 // 60):02d}"
