"""Topic names of the public contract and an idempotent way to create them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from schemas.topics import (
    AGGREGATE_TYPES,
    COMMAND_RESULTS_TOPIC,
    DEAD_LETTER_TOPIC,
    INVENTORY_ALERTS_TOPIC,
    INVENTORY_NOTIFICATIONS_TOPIC,
    command_topic_for,
    event_topic_for,
)

COMMAND_RESULTS = COMMAND_RESULTS_TOPIC
INVENTORY_ALERTS = INVENTORY_ALERTS_TOPIC
INVENTORY_NOTIFICATIONS = INVENTORY_NOTIFICATIONS_TOPIC
DEAD_LETTER = DEAD_LETTER_TOPIC


# Adapters spell them without the suffix; the contract's names live in schemas.topics.
command_topic = command_topic_for
event_topic = event_topic_for


def contract_topics() -> list[str]:
    """Return every topic of the public contract."""
    per_aggregate = [f(a) for a in AGGREGATE_TYPES for f in (command_topic, event_topic)]
    return [*per_aggregate, COMMAND_RESULTS, INVENTORY_ALERTS, INVENTORY_NOTIFICATIONS, DEAD_LETTER]


def ensure_topics(
    bootstrap_servers: str,
    partitions: int,
    timeout_s: float = 30.0,
    names: Sequence[str] | None = None,
) -> list[str]:
    """Create missing topics (the contract's by default) with ``partitions`` partitions.

    Return those created.
    """
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

    admin: Any = AdminClient({"bootstrap.servers": bootstrap_servers})
    existing = set(admin.list_topics(timeout=timeout_s).topics)
    wanted = [t for t in (contract_topics() if names is None else names) if t not in existing]
    if not wanted:
        return []
    futures = admin.create_topics(
        [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in wanted],
        operation_timeout=timeout_s,
    )
    created = []
    for topic, future in futures.items():
        try:
            future.result(timeout=timeout_s)
            created.append(topic)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
    return created
