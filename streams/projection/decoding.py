"""Turn delivered records into event envelopes; whatever does not decode is a dead letter."""

from __future__ import annotations

from collections.abc import Iterable

from schemas import CodecError, decode_event
from streams.projection.records import DeadLetter, Decoded, Record


def decode_records(records: Iterable[Record]) -> tuple[list[Decoded], list[DeadLetter]]:
    """Return the records that hold events and, separately, those that do not (with why)."""
    decoded: list[Decoded] = []
    dead: list[DeadLetter] = []
    for record in records:
        if not record.value:
            dead.append(DeadLetter(record, "EmptyMessage: the record has no value"))
            continue
        try:
            envelope = decode_event(record.value)
        except CodecError as e:
            dead.append(DeadLetter(record, f"{type(e).__name__}: {e}"))
            continue
        key = record.key.decode(errors="replace") if record.key is not None else None
        if key is not None and key != envelope.meta.aggregate_id:
            # a wrong key means the wrong partition, so per-aggregate order is not guaranteed
            reason = f"KeyMismatch: key {key!r} but aggregate {envelope.meta.aggregate_id!r}"
            dead.append(DeadLetter(record, reason))
            continue
        decoded.append(Decoded(record, envelope))
    return decoded, dead
