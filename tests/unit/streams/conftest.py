"""Fixtures: a command handler over in-memory stores."""

from __future__ import annotations

import pytest

from connectors.eventstore import InMemoryEventStore, InMemoryOutcomeStore, InMemorySnapshotStore
from streams.handling import CommandHandler, HandlerConfig


class Stores:
    def __init__(self) -> None:
        self.events = InMemoryEventStore()
        self.outcomes = InMemoryOutcomeStore()
        self.snapshots = InMemorySnapshotStore()

    def handler(self, **config: object) -> CommandHandler:
        """Return a new handler (a fresh worker: empty cache) over these stores."""
        return CommandHandler(
            self.events,
            self.outcomes,
            self.snapshots,
            HandlerConfig(**config),  # type: ignore[arg-type]
        )


@pytest.fixture
def stores() -> Stores:
    return Stores()
