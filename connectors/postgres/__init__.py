"""The Postgres read model: a projector writing events into the Japanese tables of sql/."""

from __future__ import annotations

from connectors.postgres.gaps import GapError
from connectors.postgres.handlers import UnprojectableEventError
from connectors.postgres.projector import ApplyStatus, PostgresProjector, ProjectionStats

__all__ = [
    "ApplyStatus",
    "GapError",
    "PostgresProjector",
    "ProjectionStats",
    "UnprojectableEventError",
]
