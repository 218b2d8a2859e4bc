"""Put a projections scenario where the stack keeps it: its events journaled, then projected."""

from __future__ import annotations

from connectors.eventstore import NewEvent
from connectors.eventstore.dynamodb_store import DynamoDBEventStore
from connectors.postgres import PostgresProjector
from domain.messages import aggregate_type_of
from schemas import encode
from tests.unit.projections.builders import Scenario


def journal_and_project(
    journal: DynamoDBEventStore, projector: PostgresProjector, story: Scenario
) -> None:
    """Append every event of ``story`` to ``journal`` at its sequence number, then project it."""
    for e in story.full_story():
        new = NewEvent(e.meta.event_id, type(e.event).__name__, encode(e), 0)
        journal.append(e.meta.aggregate_id, aggregate_type_of(e.event),
                       e.meta.sequence_nr - 1, [new], e.meta.causation_id, "c")  # fmt: skip
    projector.apply_batch(story.recorder.envelopes)
