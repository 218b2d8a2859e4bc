"""Avro schemas (schemas/avro/**.avsc) and the single-object codec for Zaiko's messages.

Importing this package loads no schema file; the registry loads them on first use.
"""

from __future__ import annotations

from schemas.codec import (
    Message,
    decode,
    decode_alert,
    decode_command,
    decode_event,
    decode_notification,
    decode_outcome,
    encode,
    message_type_of,
    schema_name_of,
)
from schemas.envelope import CommandEnvelope, CommandMeta, EventEnvelope, EventMeta, now_millis
from schemas.errors import (
    CodecError,
    EncodingError,
    MalformedMessageError,
    UnexpectedMessageTypeError,
    UnknownSchemaError,
)
from schemas.records import (
    CommandOutcome,
    LowStockAlert,
    Notification,
    NotificationKind,
    NotificationSeverity,
    NotificationState,
    OutcomeStatus,
)
from schemas.topics import (
    COMMAND_RESULTS_TOPIC,
    DEAD_LETTER_TOPIC,
    INVENTORY_ALERTS_TOPIC,
    INVENTORY_NOTIFICATIONS_TOPIC,
    command_topic_for,
    event_topic_for,
)
from schemas.upcast import upcast

__all__ = [
    "COMMAND_RESULTS_TOPIC",
    "DEAD_LETTER_TOPIC",
    "INVENTORY_ALERTS_TOPIC",
    "INVENTORY_NOTIFICATIONS_TOPIC",
    "CodecError",
    "CommandEnvelope",
    "CommandMeta",
    "CommandOutcome",
    "EncodingError",
    "EventEnvelope",
    "EventMeta",
    "LowStockAlert",
    "MalformedMessageError",
    "Message",
    "Notification",
    "NotificationKind",
    "NotificationSeverity",
    "NotificationState",
    "OutcomeStatus",
    "UnexpectedMessageTypeError",
    "UnknownSchemaError",
    "command_topic_for",
    "decode",
    "decode_alert",
    "decode_command",
    "decode_event",
    "decode_notification",
    "decode_outcome",
    "encode",
    "event_topic_for",
    "message_type_of",
    "now_millis",
    "schema_name_of",
    "upcast",
]
