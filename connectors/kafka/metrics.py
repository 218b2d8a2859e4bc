"""Dead-letter counts, one family for every service that publishes to ``dead-letter``."""

from __future__ import annotations

import re

from connectors.metrics import counter

DEAD_LETTERS = counter(
    "zaiko_dead_letters_total",
    "Records published to the dead-letter topic, by service (worker, bridge, projector) and"
    " reason (the zaiko-dlq-reason header up to its first ':', e.g. ProjectionParked).",
    ("service", "reason"),
)
_REASON = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,47}")


def reason_label(reason: str) -> str:
    """Return the bounded label of a dead-letter reason: the identifier before ':', else "other"."""
    found = _REASON.fullmatch(reason.partition(":")[0].strip())
    return found.group(0) if found else "other"


def count_dead_letters(service: str, reasons: list[str]) -> None:
    """Count records ``service`` published to ``dead-letter`` (after the broker acked them)."""
    for reason in reasons:
        DEAD_LETTERS.labels(service, reason_label(reason)).inc()
