"""The worker's log scopes: lines logged while a command is handled name it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from connectors.logs import log_context
from schemas import CommandEnvelope, CommandMeta

# one DEBUG line per answered command: off unless ZAIKO_LOG_LEVELS=zaiko.commands=DEBUG
commands_log = logging.getLogger("zaiko.commands")


def command_scope(meta: CommandMeta) -> log_context:
    """Return the log scope of one command: its id, correlation id and aggregate."""
    return log_context(command_id=meta.command_id, correlation_id=meta.correlation_id,
                       aggregate_id=meta.aggregate_id)  # fmt: skip


def group_scope(envelopes: Sequence[CommandEnvelope[Any]]) -> log_context:
    """Return the log scope of one aggregate's commands, decided together."""
    if len(envelopes) == 1:
        return command_scope(envelopes[0].meta)
    return log_context(aggregate_id=envelopes[0].meta.aggregate_id,
                       command_ids=[e.meta.command_id for e in envelopes])  # fmt: skip


def log_answered(meta: CommandMeta | None, status: str, code: str | None) -> None:
    """Log that a command was answered (at DEBUG: call only if ``commands_log`` is enabled)."""
    if meta is None:
        return
    with command_scope(meta):
        commands_log.debug("command answered: %s%s", status, f" ({code})" if code else "")
