"""Condition trackers with hysteresis: plain classes, no I/O, state kept by the caller.

A condition is RAISED once it has been above its threshold for ``window_s`` seconds,
and CLEARED once it has been back at or under it for ``window_s`` seconds; a blip
shorter than the window changes nothing. The state is a small value the caller keeps
(in memory, or in Redis so that another instance or a restarted one continues it).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

from schemas import NotificationState


@dataclass(frozen=True)
class Condition:
    """Where one condition stands: raised or not, and since when it leans the other way."""

    raised: bool = False
    pending_since: float | None = None  # first observation on the other side (epoch s)
    raised_at: float | None = None  # start of the episode (names the notifications)
    observed: float = 0.0  # the last value seen

    def to_json(self) -> str:
        """Return the state as a JSON text (what Redis keeps)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> Condition:
        """Return the state ``text`` holds (a fresh one for None)."""
        return cls() if not text else cls(**json.loads(text))


@dataclass(frozen=True)
class ThresholdTracker:
    """Above ``threshold`` for ``window_s`` seconds: RAISED; back under for as long: CLEARED."""

    threshold: float
    window_s: float

    def observe(
        self, state: Condition, value: float, now: float
    ) -> tuple[Condition, NotificationState | None]:
        """Return the new state and the transition ``value`` seen at ``now`` makes, if any."""
        above = value > self.threshold
        state = replace(state, observed=value)
        if above != state.raised:
            since = state.pending_since if state.pending_since is not None else now
            if now - since < self.window_s:
                return replace(state, pending_since=since), None
            if above:
                return Condition(True, None, since, value), NotificationState.RAISED
            return replace(state, raised=False, pending_since=None), NotificationState.CLEARED
        return replace(state, pending_since=None), None
