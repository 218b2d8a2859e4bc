"""Kafka topic names, shared by producers, agents and gateways."""

from __future__ import annotations

from typing import Final

AGGREGATE_TYPES: Final = ("product", "customer", "warehouse", "warehouse-zone", "inventory")

COMMAND_RESULTS_TOPIC: Final = "command.results"
INVENTORY_ALERTS_TOPIC: Final = "inventory.alerts"
INVENTORY_NOTIFICATIONS_TOPIC: Final = "inventory.notifications"
DEAD_LETTER_TOPIC: Final = "dead-letter"
DEFAULT_PARTITIONS: Final = 8

# Kafka header names (values are UTF-8 bytes).
HEADER_MESSAGE_TYPE: Final = "zaiko-message-type"
HEADER_COMMAND_ID: Final = "zaiko-command-id"
HEADER_COMMAND_FINGERPRINT: Final = "zaiko-command-fingerprint"
HEADER_EVENT_TYPE: Final = "zaiko-event-type"
HEADER_SEQUENCE_NR: Final = "zaiko-sequence-nr"
HEADER_DLQ_REASON: Final = "zaiko-dlq-reason"
HEADER_DLQ_SOURCE_TOPIC: Final = "zaiko-dlq-source-topic"


def normalize_aggregate(aggregate: str) -> str:
    """Return the topic spelling of an aggregate type (``warehouse_zone`` -> ``warehouse-zone``)."""
    name = aggregate.strip().lower().replace("_", "-")
    if name == "warehousezone":
        name = "warehouse-zone"
    if name not in AGGREGATE_TYPES:
        raise ValueError(f"unknown aggregate type {aggregate!r}; expected one of {AGGREGATE_TYPES}")
    return name


def command_topic_for(aggregate: str) -> str:
    """Return the command topic of an aggregate type, e.g. ``inventory.commands``."""
    return f"{normalize_aggregate(aggregate)}.commands"


def event_topic_for(aggregate: str) -> str:
    """Return the event topic of an aggregate type, e.g. ``inventory.events``."""
    return f"{normalize_aggregate(aggregate)}.events"


COMMAND_TOPICS: Final = tuple(command_topic_for(a) for a in AGGREGATE_TYPES)
EVENT_TOPICS: Final = tuple(event_topic_for(a) for a in AGGREGATE_TYPES)
