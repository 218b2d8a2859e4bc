"""Avro single-object encoding: ``C3 01`` + 8-byte little-endian CRC-64-AVRO + body."""

from __future__ import annotations

from typing import Final

from fastavro.schema import fingerprint as _fastavro_fingerprint

from schemas.errors import MalformedMessageError

MAGIC: Final = b"\xc3\x01"
FINGERPRINT_SIZE: Final = 8
HEADER_SIZE: Final = len(MAGIC) + FINGERPRINT_SIZE


def fingerprint_of(canonical_form: str) -> bytes:
    """Return the CRC-64-AVRO fingerprint of a Parsing Canonical Form, little-endian."""
    # fastavro renders the 64-bit value as hex of its little-endian bytes, the wire order.
    return bytes.fromhex(_fastavro_fingerprint(canonical_form, "CRC-64-AVRO"))


def frame(fingerprint: bytes, body: bytes) -> bytes:
    """Prefix an Avro binary body with the single-object header."""
    return MAGIC + fingerprint + body


def split(data: bytes) -> tuple[bytes, memoryview]:
    """Return the fingerprint and body of a single-object encoded message."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise MalformedMessageError(f"expected bytes, got {type(data).__name__}")
    view = memoryview(data)
    if len(view) < HEADER_SIZE:
        raise MalformedMessageError(f"message of {len(view)} bytes is shorter than its header")
    if bytes(view[:2]) != MAGIC:
        raise MalformedMessageError(f"bad magic {bytes(view[:2]).hex()}, expected c301")
    return bytes(view[2:HEADER_SIZE]), view[HEADER_SIZE:]
