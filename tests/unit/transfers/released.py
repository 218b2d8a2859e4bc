"""The worker as released, before transfers were named: what an upgrade finds.

Transfer legs and TransferStockIn commands are written with their schema's oldest
locked form (the bytes the released code wrote: no ``out_sequence_nr``), so the current
code reads them through Avro resolution, as it reads an upgraded deployment's journal.
Snapshots lose ``PendingTransfer.named``, as those taken before it existed.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from fastavro import schemaless_reader, schemaless_writer

from connectors.eventstore.port import EventStore, JournalEntry, NewEvent
from schemas.framing import fingerprint_of, frame, split
from schemas.registry import default_registry, load_lock, parse
from streams.handling.state_codec import MAGIC, encode_state
from streams.transfers.model import LEG_TYPES


def first_shape(data: bytes) -> bytes:
    """Return an encoded message re-encoded with its schema's oldest locked form."""
    fingerprint, body = split(data)
    entry = default_registry().by_fingerprint(bytes(fingerprint))
    assert entry is not None
    # canonical forms have no logical types: timestamps stay longs on both sides
    datum = schemaless_reader(io.BytesIO(body), parse(json.loads(entry.canonical_form)), None)
    form = load_lock()[entry.full_name][0]
    assert "out_sequence_nr" not in form, f"{entry.full_name} was born with names"
    out = io.BytesIO()
    schemaless_writer(out, parse(json.loads(form)), datum)  # fields it lacks are dropped
    return frame(fingerprint_of(form), out.getvalue())


class ReleasedStore:
    """An ``EventStore`` that appends transfer legs in their first shape."""

    def __init__(self, inner: EventStore) -> None:
        self.inner = inner

    def append(
        self,
        aggregate_id: str,
        aggregate_type: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *args: Any,
        **kwargs: Any,
    ) -> JournalEntry:
        """Append ``events``, each transfer leg without its ``out_sequence_nr``."""
        old = [_first_shape_leg(e) for e in events]
        return self.inner.append(aggregate_id, aggregate_type, expected_version, old,
                                 *args, **kwargs)  # fmt: skip

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _first_shape_leg(event: NewEvent) -> NewEvent:
    if event.event_type not in LEG_TYPES:
        return event
    return replace(event, payload=first_shape(event.payload))


def snapshot_before_names(state: object) -> bytes:
    """Return a format-2 snapshot of ``state`` as written before transfers were named."""
    document = json.loads(zlib.decompress(encode_state(state)[len(MAGIC) :]))
    pending = document["state"]["fields"]["pending_transfers"]["$map"]
    for entry in pending.values():
        del entry["fields"]["named"]
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return MAGIC + zlib.compress(text.encode(), 6)
