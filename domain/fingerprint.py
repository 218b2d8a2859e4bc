"""A command's fingerprint: what an idempotency key is bound to.

blake2b (128 bits) of a canonical JSON encoding of the aggregate type, the aggregate
id, the command class and the command's own fields (never its meta: a resend has
another ``issued_at``). The encoding depends only on the values: keys sorted, ASCII
only, floats in their shortest round-trip form, enums by value, so the fingerprint
is the same in every process and Python version. A field holding its default is left
out, so adding a field with a default to a command does not change the fingerprints
of commands recorded before.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from domain.message import Command
from domain.messages import aggregate_id_of, aggregate_type_of

VERSION = "zaiko-command-fingerprint/1"
_INVALID = "zaiko-invalid-command/1"


def fingerprint(command: Command) -> str:
    """Return the fingerprint of ``command`` (32 hex digits)."""
    fields = {}
    for field in dataclasses.fields(command):
        value = getattr(command, field.name)
        if field.default is not dataclasses.MISSING and value == field.default:
            continue
        fields[field.name] = value.value if isinstance(value, Enum) else value
    kind = type(command).__name__
    return _digest([VERSION, aggregate_type_of(command), aggregate_id_of(command), kind, fields])


def invalid_fingerprint(schema: str, aggregate_id: str, body: Mapping[str, Any]) -> str:
    """Return the fingerprint of a command its value objects refused, from its decoded body.

    Its own namespace: it never equals a valid command's fingerprint.
    """
    return _digest([_INVALID, schema, aggregate_id, dict(body)])


def _digest(document: Any) -> str:
    encoded = json.dumps(
        document, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str
    )
    return hashlib.blake2b(encoded.encode("ascii"), digest_size=16).hexdigest()
