"""Rebuild read models from the event topics or the journal into a shadow schema, then swap."""

from __future__ import annotations

from connectors.replay.compare import Comparison, compare_schemas, describe
from connectors.replay.projection import Projection, ReplayTarget, project
from connectors.replay.rebuild import ReplayReport, rebuild
from connectors.replay.schemas import create_shadow
from connectors.replay.swap import JournalChangedError, LiveMovedOnError, SwapRefusedError, swap
from connectors.replay.topics import read_batches

__all__ = [
    "Comparison",
    "JournalChangedError",
    "LiveMovedOnError",
    "Projection",
    "ReplayReport",
    "ReplayTarget",
    "SwapRefusedError",
    "compare_schemas",
    "create_shadow",
    "describe",
    "project",
    "read_batches",
    "rebuild",
    "swap",
]
