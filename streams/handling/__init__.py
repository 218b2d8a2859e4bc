"""The command side's plain handler: no Faust here, so it is unit-tested with fakes."""

from __future__ import annotations

from streams.handling.batch import Answer, BatchHandler
from streams.handling.cache import Loaded, StateCache
from streams.handling.handler import CommandHandler, HandlerConfig
from streams.handling.intake import Command, DeadLetter, Intake, Invalid, classify
from streams.handling.loader import StateLoader
from streams.handling.resilience import BatchAbandoned, handle_with_retries, resolve_with_retries

__all__ = [
    "Answer",
    "BatchAbandoned",
    "BatchHandler",
    "Command",
    "CommandHandler",
    "DeadLetter",
    "HandlerConfig",
    "Intake",
    "Invalid",
    "Loaded",
    "StateCache",
    "StateLoader",
    "classify",
    "handle_with_retries",
    "resolve_with_retries",
]
