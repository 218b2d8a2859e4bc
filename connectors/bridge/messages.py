"""Turn journal entries (and stream records holding them) into Kafka event messages."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from connectors.bridge.ports import EventMessage
from connectors.eventstore.errors import UnreadableItemError
from connectors.eventstore.items import entry_from_item
from connectors.eventstore.port import JournalEntry, StoredEvent
from connectors.kafka.topics import DEAD_LETTER, event_topic
from schemas.codec import message_type_of
from schemas.errors import CodecError
from schemas.topics import (
    HEADER_COMMAND_ID,
    HEADER_DLQ_REASON,
    HEADER_EVENT_TYPE,
    HEADER_MESSAGE_TYPE,
    HEADER_SEQUENCE_NR,
    normalize_aggregate,
)

HEADER_EVENT_ID = "zaiko-event-id"
HEADER_CORRELATION_ID = "zaiko-correlation-id"
HEADER_AGGREGATE_TYPE = "zaiko-aggregate-type"
HEADER_STREAM_SEQUENCE_NR = "zaiko-stream-sequence-nr"
_BRIDGED_EVENTS = ("INSERT", "MODIFY")
log = logging.getLogger(__name__)


def _topic(aggregate_type: str) -> tuple[str, str | None]:
    """Return the event topic, or the dead-letter topic and why (an unknown type)."""
    try:
        return event_topic(normalize_aggregate(aggregate_type)), None
    except ValueError as e:
        return DEAD_LETTER, f"UnknownAggregateType: {e}"


def _message_type(event: StoredEvent) -> str:
    """Return the schema full name the payload names; the event type if it names none."""
    try:
        return message_type_of(event.payload)
    except CodecError:
        return event.event_type


def messages_for_entry(entry: JournalEntry) -> list[EventMessage]:
    """Return one message per event of ``entry``, in sequence order, keyed by aggregate id."""
    topic, dlq_reason = _topic(entry.aggregate_type)
    messages = []
    for event in sorted(entry.events, key=lambda e: e.seq_nr):
        headers = [
            (HEADER_EVENT_TYPE, event.event_type),
            (HEADER_SEQUENCE_NR, str(event.seq_nr)),
            (HEADER_EVENT_ID, event.event_id),
            (HEADER_COMMAND_ID, event.command_id),
            (HEADER_CORRELATION_ID, event.correlation_id or entry.correlation_id),
            (HEADER_AGGREGATE_TYPE, entry.aggregate_type),
            (HEADER_MESSAGE_TYPE, _message_type(event)),
        ]
        if dlq_reason is not None:
            headers.append((HEADER_DLQ_REASON, dlq_reason))
        messages.append(
            EventMessage(
                topic=topic,
                key=entry.aggregate_id.encode(),
                value=event.payload,
                headers=tuple((name, value.encode()) for name, value in headers),
            )
        )
    return messages


def entry_from_record(record: Mapping[str, Any]) -> JournalEntry | None:
    """Return the journal entry an INSERT/MODIFY stream record carries, else None."""
    if record.get("eventName") not in _BRIDGED_EVENTS:
        return None
    image = record.get("dynamodb", {}).get("NewImage")
    return entry_from_item(image) if image else None


def messages_from_records(records: Iterable[Mapping[str, Any]]) -> list[EventMessage]:
    """Return the messages of every bridged record, in stream order.

    A record whose image is not a journal entry goes to the dead-letter topic as it
    came (its DynamoDB JSON), with the reason: it costs only itself, and the records
    after it are bridged (the projector parks its aggregate if it ever needs it).
    """
    messages: list[EventMessage] = []
    for record in records:
        try:
            entry = entry_from_record(record)
        except UnreadableItemError as e:
            log.error("unreadable journal record sent to dead-letter: %s", e)
            messages.append(_unreadable(record, e))
            continue
        if entry is not None:
            messages.extend(messages_for_entry(entry))
    return messages


def _unreadable(record: Mapping[str, Any], error: UnreadableItemError) -> EventMessage:
    image = record.get("dynamodb", {}).get("NewImage") or {}
    value = json.dumps(image, default=_json_bytes, ensure_ascii=False).encode()
    headers = [(HEADER_DLQ_REASON, f"UnreadableJournalItem: {error}"),
               (HEADER_STREAM_SEQUENCE_NR,
                str(record.get("dynamodb", {}).get("SequenceNumber", "")))]  # fmt: skip
    return EventMessage(DEAD_LETTER, error.aggregate_id.encode(), value,
                        tuple((name, v.encode()) for name, v in headers))  # fmt: skip


def _json_bytes(value: Any) -> str:
    """Binary attributes as base64, as DynamoDB's own JSON has them."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    return str(value)
