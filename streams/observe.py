"""Count a batch of command messages once their answers are published (worker metrics)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from connectors.kafka.metrics import DEAD_LETTERS, reason_label
from streams.handling import Answer
from streams.metrics import COMMANDS, OUTCOME_SECONDS

DEAD_LETTERED = "DEAD_LETTERED"


def count_published(
    aggregate_type: str, messages: Sequence[Any], answers: Sequence[Answer]
) -> None:
    """Count each message's answer and observe its command→outcome time.

    The time runs from the command record's timestamp (set by its producer, the
    gateway) to now, when its outcome is acknowledged on ``command.results``.
    """
    now = time.time()
    for message, answer in zip(messages, answers, strict=True):
        outcome = answer.outcome
        if outcome is None:
            reason = reason_label(answer.dead_letter or "unanswered")
            COMMANDS.labels(aggregate_type, answer.command_type, DEAD_LETTERED, "").inc()
            DEAD_LETTERS.labels("worker", reason).inc()
            continue
        code = outcome.error_code or ""
        COMMANDS.labels(aggregate_type, answer.command_type, outcome.status, code).inc()
        timestamp = getattr(message, "timestamp", None)
        if timestamp:
            OUTCOME_SECONDS.labels(aggregate_type, answer.command_type).observe(
                max(0.0, now - timestamp)
            )
