"""Bytes on the wire: Zaiko's codec (for the loader) and a partner's own Avro code (channels).

The sales channels are written as a partner outside Zaiko would write them
(docs/contract.md, docs/examples/sales_channel_producer.py): fastavro, the published
.avsc files and the single-object header computed from the schema, no Zaiko codec.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.schema import fingerprint, to_parsing_canonical_form

from schemas.codec import decode_outcome
from simulation.outcomes import Answer

MAGIC = b"\xc3\x01"
SCHEMAS_DIR = Path(str(resources.files("schemas") / "avro"))


def answer_from_codec(data: bytes, arrived: float) -> Answer:
    """Decode a CommandOutcome with Zaiko's codec."""
    outcome = decode_outcome(data)
    return Answer(outcome.command_id, str(outcome.status), outcome.error_code, outcome.version,
                  outcome.completed_at, arrived)  # fmt: skip


class AvroSchema:
    """One parsed .avsc file with its single-object header (C3 01 + CRC-64-AVRO)."""

    def __init__(self, path: Path) -> None:
        raw = json.loads(path.read_text(encoding="utf-8"))
        self.full_name = f"{raw['namespace']}.{raw['name']}"
        self.parsed = parse_schema(raw, named_schemas={})
        self.defaults = {f["name"]: f["default"] for f in raw["fields"] if "default" in f}
        self.header = MAGIC + bytes.fromhex(
            fingerprint(to_parsing_canonical_form(raw), "CRC-64-AVRO")
        )

    def encode(self, datum: dict[str, Any]) -> bytes:
        """Return the single-object encoding of ``datum`` (absent fields take their default)."""
        body = io.BytesIO()
        schemaless_writer(body, self.parsed, {**self.defaults, **datum}, strict=True)
        return self.header + body.getvalue()

    def decode(self, data: bytes) -> dict[str, Any] | None:
        """Decode bytes written with this schema; None when another schema wrote them."""
        if data[: len(self.header)] != self.header:
            return None
        record = schemaless_reader(io.BytesIO(data[len(self.header) :]), self.parsed, None)
        return record if isinstance(record, dict) else None


@cache
def command_schema(aggregate_dir: str, command: str) -> AvroSchema:
    """Return the schema of ``command`` (e.g. ``inventory``, ``ReserveStock``)."""
    return AvroSchema(SCHEMAS_DIR / "commands" / aggregate_dir / f"{command}.avsc")


@cache
def outcome_schema() -> AvroSchema:
    return AvroSchema(SCHEMAS_DIR / "results" / "CommandOutcome.avsc")


def answer_from_avro(data: bytes, arrived: float) -> Answer:
    """Decode a CommandOutcome with the published schema, as a partner would."""
    record = outcome_schema().decode(data)
    if record is None:
        raise ValueError("not a CommandOutcome")
    completed = record["completed_at"]
    if not isinstance(completed, dt.datetime):
        completed = dt.datetime.fromtimestamp(completed / 1000, dt.UTC)
    return Answer(record["command_id"], record["status"], record["error_code"],
                  record["version"], completed, arrived)  # fmt: skip
