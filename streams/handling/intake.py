"""Classify the raw bytes of a command topic: a command, a bad command, or dead letter."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from fastavro import schemaless_reader

from domain import limits
from domain.checks import text
from domain.errors import DomainError, ValidationError
from domain.fingerprint import fingerprint as command_fingerprint
from domain.fingerprint import invalid_fingerprint
from domain.messages import RESERVED_COMMAND_ID_PREFIX, aggregate_type_of
from schemas import (
    CodecError,
    CommandEnvelope,
    CommandMeta,
    MalformedMessageError,
    UnexpectedMessageTypeError,
    UnknownSchemaError,
    decode_command,
    framing,
    now_millis,
)
from schemas.catalog import spec_by_full_name
from schemas.registry import default_registry


@dataclass(frozen=True)
class Command:
    envelope: CommandEnvelope[Any]


@dataclass(frozen=True)
class Invalid:
    """A well-framed command whose content a value object refused: it gets a rejection.

    ``fingerprint`` binds its command id like a valid command's does. A ``reserved``
    one has a command id that cannot be a client's key: one of Zaiko's own
    (``RESERVED_COMMAND_ID_PREFIX``), or one beyond ``COMMAND_ID_LENGTH`` or holding a
    control character. Its rejection is published but never recorded, and nothing on
    record is read for it.
    """

    meta: CommandMeta
    aggregate_type: str
    error: DomainError
    fingerprint: str | None = None
    reserved: bool = False


@dataclass(frozen=True)
class DeadLetter:
    reason: str


Intake = Command | Invalid | DeadLetter


_COMMAND_ID = text(limits.COMMAND_ID_LENGTH)
_CORRELATION_ID = text(limits.CORRELATION_ID_LENGTH, blank_ok=True)
_CHANNEL = text(limits.CHANNEL_LENGTH, blank_ok=True)


def classify(data: bytes | None, aggregate_type: str) -> Intake:
    """Decide what to do with one message of ``<aggregate_type>.commands``."""
    intake = _classify(data, aggregate_type)
    if isinstance(intake, DeadLetter):
        return intake
    meta = intake.envelope.meta if isinstance(intake, Command) else intake.meta
    kind = intake.aggregate_type if isinstance(intake, Invalid) else aggregate_type
    if not meta.command_id:
        return DeadLetter("invalid-meta: an empty command_id cannot key an outcome")
    if meta.command_id.startswith(RESERVED_COMMAND_ID_PREFIX):
        error = ValidationError(
            f"command ids starting with {RESERVED_COMMAND_ID_PREFIX!r} are Zaiko's own"
        )
        return Invalid(meta, kind, error, reserved=True)
    if (meta_error := _meta_error(meta)) is not None:
        bound_to = command_fingerprint(intake.envelope.command) if isinstance(
            intake, Command) else intake.fingerprint  # fmt: skip
        unkeyable = meta_error.ids["field"] == "meta.command_id"
        return Invalid(meta, kind, meta_error, bound_to, reserved=unkeyable)
    return intake


def _meta_error(meta: CommandMeta) -> ValidationError | None:
    """Refuse an envelope whose ids would break the items and events they are copied to."""
    for name, check in (("command_id", _COMMAND_ID), ("correlation_id", _CORRELATION_ID),
                        ("channel", _CHANNEL)):  # fmt: skip
        try:
            check(getattr(meta, name))
        except ValidationError as e:
            return ValidationError(f"meta.{name}: {e.message}", field=f"meta.{name}")
    return None


def _classify(data: bytes | None, aggregate_type: str) -> Intake:
    if not data:
        return DeadLetter("empty: the message has no value")
    try:
        envelope = decode_command(data)
    except UnknownSchemaError as e:
        return DeadLetter(f"unknown-schema: {e}")
    except UnexpectedMessageTypeError as e:
        return DeadLetter(f"not-a-command: {e}")
    except MalformedMessageError as e:
        if isinstance(e.__cause__, DomainError):
            invalid = _invalid(data, e.__cause__)
            if invalid is not None:
                return invalid
        return DeadLetter(f"malformed: {e}")
    except CodecError as e:
        return DeadLetter(f"undecodable: {e}")
    actual = aggregate_type_of(envelope.command)
    if actual != aggregate_type:
        error = ValidationError(f"a {actual} command on {aggregate_type}.commands")
        return Invalid(envelope.meta, actual, error, command_fingerprint(envelope.command))
    return Command(envelope)


def _invalid(data: bytes, error: DomainError) -> Invalid | None:
    """Read just the envelope of a command whose body failed validation."""
    try:
        fingerprint, body = framing.split(data)
        entry = default_registry().by_fingerprint(fingerprint)
        assert entry is not None
        reader = None if entry.is_current else entry.reader
        datum: Any = schemaless_reader(io.BytesIO(body), entry.writer, reader)
        raw = datum["meta"]
        spec = spec_by_full_name()[entry.full_name]
        meta = CommandMeta(
            command_id=raw["command_id"],
            aggregate_id=raw["aggregate_id"],
            expected_version=raw.get("expected_version"),
            issued_at=raw.get("issued_at") or now_millis(),
            channel=raw.get("channel") or "",
            correlation_id=raw.get("correlation_id") or raw["command_id"],
        )
        fields = {k: v for k, v in datum.items() if k != "meta"}
        bound_to = invalid_fingerprint(entry.full_name, meta.aggregate_id, fields)
        return Invalid(meta, spec.aggregate or "", error, bound_to)
    except Exception:
        return None
