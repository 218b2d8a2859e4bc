"""Wait on a condition with a deadline; never a bare sleep."""

from __future__ import annotations

import time
from collections.abc import Callable


class DeadlineError(AssertionError):
    """A condition did not hold before its deadline."""


def wait_for(
    condition: Callable[[], bool],
    timeout_s: float,
    what: str,
    interval_s: float = 0.1,
    detail: Callable[[], str] | None = None,
) -> float:
    """Poll ``condition`` until it holds; return the seconds it took, or raise at the deadline.

    An exception raised by ``condition`` counts as "not yet" (a paused service may refuse
    connections); the last one is named in the error.
    """
    started = time.monotonic()
    deadline = started + timeout_s
    last_error = ""
    while True:
        try:
            if condition():
                return time.monotonic() - started
            last_error = ""
        except Exception as exc:  # the condition's own failure is "not yet", remembered
            last_error = f" (last error: {type(exc).__name__}: {exc})"
        if time.monotonic() >= deadline:
            extra = f"; {detail()}" if detail is not None else ""
            raise DeadlineError(f"timed out after {timeout_s:.0f} s waiting for {what}"
                                f"{last_error}{extra}")  # fmt: skip
        time.sleep(interval_s)


def holds_within(condition: Callable[[], bool], timeout_s: float, interval_s: float = 0.1) -> bool:
    """Return whether ``condition`` held at some point before the deadline."""
    try:
        wait_for(condition, timeout_s, "", interval_s)
    except DeadlineError:
        return False
    return True


def hold(seconds: float) -> None:
    """Keep a fault in place for ``seconds`` (the fault's duration, not a synchronisation)."""
    time.sleep(seconds)
