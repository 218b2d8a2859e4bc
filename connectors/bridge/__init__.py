"""The stream bridge: the journal's DynamoDB Stream -> the Kafka event topics.

``StreamReader`` (pure, injected clients) reads every shard in lineage order and
checkpoints a shard only after the ``Publisher`` acknowledged its records;
``service.bootstrap`` wires it to boto3, confluent-kafka and the checkpoints table.
"""

from __future__ import annotations

from connectors.bridge.checkpoints import InMemoryCheckpointStore
from connectors.bridge.messages import messages_for_entry, messages_from_records
from connectors.bridge.ports import (
    Checkpoint,
    CheckpointStore,
    EventMessage,
    Publisher,
    PublishError,
)
from connectors.bridge.reader import StreamReader

__all__ = [
    "Checkpoint",
    "CheckpointStore",
    "EventMessage",
    "InMemoryCheckpointStore",
    "PublishError",
    "Publisher",
    "StreamReader",
    "messages_for_entry",
    "messages_from_records",
]
