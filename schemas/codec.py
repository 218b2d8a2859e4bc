"""Encode and decode messages as Avro single-object encoded bytes.

``decode`` raises nothing but :class:`CodecError` subclasses, whatever the input bytes.
"""

from __future__ import annotations

import io
from typing import Any, TypeVar

from fastavro import schemaless_reader, schemaless_writer

from schemas import framing
from schemas.catalog import MessageSpec, meta_node, spec_by_class, spec_by_full_name
from schemas.envelope import CommandEnvelope, EventEnvelope
from schemas.errors import (
    CodecError,
    EncodingError,
    MalformedMessageError,
    UnexpectedMessageTypeError,
    UnknownSchemaError,
)
from schemas.records import CommandOutcome, LowStockAlert, Notification
from schemas.registry import SchemaEntry, SchemaRegistry, default_registry
from schemas.upcast import upcast as _upcast

Message = CommandEnvelope[Any] | EventEnvelope[Any] | CommandOutcome | LowStockAlert | Notification
T = TypeVar("T")


def _payload_of(message: Message) -> tuple[object, object | None]:
    if isinstance(message, CommandEnvelope):
        return message.command, message.meta
    if isinstance(message, EventEnvelope):
        return message.event, message.meta
    return message, None


def schema_name_of(message: Message) -> str:
    """Return the Avro full name a message is encoded with (the ``zaiko-message-type``)."""
    payload, _ = _payload_of(message)
    spec = spec_by_class().get(type(payload))
    if spec is None:
        raise EncodingError(f"no schema for {type(payload).__name__}")
    return spec.full_name


def encode(message: Message, registry: SchemaRegistry | None = None) -> bytes:
    """Encode an envelope, outcome or alert with Avro single-object encoding."""
    registry = registry or default_registry()
    payload, meta = _payload_of(message)
    spec = spec_by_class().get(type(payload))
    if spec is None or (meta is None) != (spec.kind in ("outcome", "alert")):
        raise EncodingError(f"cannot encode {type(message).__name__} of {type(payload).__name__}")
    try:
        entry = registry.by_name(spec.full_name)
    except KeyError:
        raise EncodingError(f"{spec.full_name}: no .avsc; run python -m schemas.generate") from None
    try:
        datum = spec.node.to_avro(payload)
        if meta is not None:
            datum["meta"] = meta_node(spec.kind).to_avro(meta)
        body = io.BytesIO()
        schemaless_writer(body, entry.writer, datum, strict=True)
    except Exception as e:
        raise EncodingError(f"cannot encode {spec.full_name}: {e}") from e
    return framing.frame(entry.fingerprint, body.getvalue())


def _resolve(data: bytes, registry: SchemaRegistry | None) -> tuple[SchemaEntry, MessageSpec, Any]:
    fingerprint, body = framing.split(data)
    entry = (registry or default_registry()).by_fingerprint(fingerprint)
    spec = spec_by_full_name().get(entry.full_name) if entry else None
    if entry is None or spec is None:
        raise UnknownSchemaError(fingerprint)
    return entry, spec, body


def message_type_of(data: bytes, registry: SchemaRegistry | None = None) -> str:
    """Return the schema full name of an encoded message by its header, without decoding it."""
    try:
        entry, _, _ = _resolve(data, registry)
    except CodecError:
        raise
    except Exception as e:  # a broken registry must not leak foreign exceptions either
        raise MalformedMessageError(f"cannot read header: {e!r}") from e
    return entry.full_name


def decode(data: bytes, *, upcast: bool = False, registry: SchemaRegistry | None = None) -> Message:
    """Decode single-object encoded bytes; with ``upcast`` events arrive at their newest version."""
    try:
        entry, spec, body = _resolve(data, registry)
        stream = io.BytesIO(body)
        reader = None if entry.is_current else entry.reader
        datum: Any = schemaless_reader(stream, entry.writer, reader)
        if stream.tell() != len(body):
            raise MalformedMessageError(f"{len(body) - stream.tell()} trailing bytes after body")
        payload = spec.node.from_avro(datum)
        if spec.kind == "command":
            return CommandEnvelope(meta_node("command").from_avro(datum["meta"]), payload)
        if spec.kind == "event":
            event = EventEnvelope(meta_node("event").from_avro(datum["meta"]), payload)
            return _upcast(event) if upcast else event
        return payload  # type: ignore[no-any-return]
    except CodecError:
        raise
    except Exception as e:  # EOFError, ValueError, UnicodeDecodeError, MemoryError, domain errors
        raise MalformedMessageError(f"corrupt message body: {e!r}") from e


def _expect(message: Message, kind: type[T], label: str) -> T:
    if not isinstance(message, kind):
        raise UnexpectedMessageTypeError(label, type(message).__name__)
    return message


def decode_command(data: bytes, registry: SchemaRegistry | None = None) -> CommandEnvelope[Any]:
    """Decode bytes that must hold a command."""
    return _expect(decode(data, registry=registry), CommandEnvelope, "command")


def decode_event(
    data: bytes, *, upcast: bool = True, registry: SchemaRegistry | None = None
) -> EventEnvelope[Any]:
    """Decode bytes that must hold an event, upcast to its newest version by default."""
    return _expect(decode(data, upcast=upcast, registry=registry), EventEnvelope, "event")


def decode_outcome(data: bytes, registry: SchemaRegistry | None = None) -> CommandOutcome:
    """Decode bytes that must hold a command outcome."""
    return _expect(decode(data, registry=registry), CommandOutcome, "command outcome")


def decode_alert(data: bytes, registry: SchemaRegistry | None = None) -> LowStockAlert:
    """Decode bytes that must hold a low-stock alert."""
    return _expect(decode(data, registry=registry), LowStockAlert, "low-stock alert")


def decode_notification(data: bytes, registry: SchemaRegistry | None = None) -> Notification:
    """Decode bytes that must hold an operator notification."""
    return _expect(decode(data, registry=registry), Notification, "notification")
