"""The Postgres read model: a projector writing events into the Japanese tables of sql/.

The projector's names load on first use, so a reader that needs only a light module of
this package (``conninfo``, for the query gateway) does not import the domain with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connectors.postgres.gaps import GapError
    from connectors.postgres.handlers import UnprojectableEventError
    from connectors.postgres.projector import ApplyStatus, PostgresProjector, ProjectionStats

_HOMES = {
    "ApplyStatus": "connectors.postgres.projector",
    "GapError": "connectors.postgres.gaps",
    "PostgresProjector": "connectors.postgres.projector",
    "ProjectionStats": "connectors.postgres.projector",
    "UnprojectableEventError": "connectors.postgres.handlers",
}

__all__ = [
    "ApplyStatus",
    "GapError",
    "PostgresProjector",
    "ProjectionStats",
    "UnprojectableEventError",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
