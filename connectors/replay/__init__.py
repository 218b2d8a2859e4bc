"""Rebuild read models from the event topics or the journal into a shadow schema, then swap."""

from __future__ import annotations

from connectors.replay.compare import Comparison, compare_schemas, describe
from connectors.replay.rebuild import ReplayReport, ReplayTarget, project, rebuild
from connectors.replay.schemas import LiveMovedOnError, create_shadow, swap
from connectors.replay.topics import read_batches

__all__ = [
    "Comparison",
    "LiveMovedOnError",
    "ReplayReport",
    "ReplayTarget",
    "compare_schemas",
    "create_shadow",
    "describe",
    "project",
    "read_batches",
    "rebuild",
    "swap",
]
