"""When to restart a crashed service and when to give up: pure, no processes, no clock."""

from __future__ import annotations

from dataclasses import dataclass, field

RUNNING, RESTARTING, GAVE_UP = "running", "restarting", "gave up"


@dataclass(frozen=True)
class RestartPolicy:
    """Exponential backoff between restarts; give up after ``give_up_after`` crashes in a window."""

    initial_backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    factor: float = 2.0
    give_up_after: int = 5
    window_s: float = 300.0

    def backoff_s(self, crashes_in_window: int) -> float:
        """Return the wait before the restart that follows the n-th crash in the window."""
        exponent = max(crashes_in_window - 1, 0)
        return min(self.initial_backoff_s * self.factor**exponent, self.max_backoff_s)


@dataclass
class ServiceWatch:
    """One service's supervision: its state, crashes, restarts and last error."""

    policy: RestartPolicy
    state: str = RUNNING
    restarts: int = 0
    crashes: list[float] = field(default_factory=list)  # times of the crashes in the window
    restart_at: float | None = None
    last_error: dict[str, object] | None = None

    def crashed(self, now: float, error: dict[str, object]) -> None:
        """Record a crash at ``now``: schedule a restart with backoff, or give up."""
        self.crashes = [t for t in self.crashes if now - t < self.policy.window_s] + [now]
        self.last_error = error
        if len(self.crashes) >= self.policy.give_up_after:
            self.state, self.restart_at = GAVE_UP, None
        else:
            self.state = RESTARTING
            self.restart_at = now + self.policy.backoff_s(len(self.crashes))

    def due(self, now: float) -> bool:
        """Return True when a scheduled restart should happen now."""
        return self.state == RESTARTING and self.restart_at is not None and now >= self.restart_at

    def restarted(self) -> None:
        """Record that the service was launched again."""
        self.state, self.restart_at = RUNNING, None
        self.restarts += 1
