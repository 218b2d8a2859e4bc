"""The header checked against the Avro spec with an independent CRC-64-AVRO implementation."""

from __future__ import annotations

import struct

import pytest

from schemas.catalog import message_specs
from schemas.codec import encode
from schemas.registry import default_registry
from tests.unit.schemas.samples import sample_for

EMPTY = 0xC15D213AA4D7A795


def _table() -> list[int]:
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
        table.append(fp)
    return table


TABLE = _table()


def crc64_avro(data: bytes) -> int:
    """The spec's reference algorithm (Avro specification, "Schema Fingerprints")."""
    fp = EMPTY
    for byte in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ byte) & 0xFF]
    return fp


def test_reference_fingerprint_of_null_matches_the_spec_vector() -> None:
    assert crc64_avro(b"") == EMPTY
    assert crc64_avro(b'"null"') == 0x63DD24E7CC258F8A


@pytest.mark.parametrize("spec", message_specs(), ids=lambda spec: spec.full_name)
def test_header_is_magic_then_little_endian_fingerprint_of_the_canonical_form(spec) -> None:
    entry = default_registry().by_name(spec.full_name)
    expected = struct.pack("<Q", crc64_avro(entry.canonical_form.encode("utf-8")))

    data = encode(sample_for(spec))

    assert data[:2] == b"\xc3\x01"
    assert data[2:10] == expected


def test_canonical_form_drops_docs_defaults_and_custom_attributes() -> None:
    form = default_registry().by_name("zaiko.commands.inventory.ReceiveStock").canonical_form
    assert form.startswith('{"name":"zaiko.commands.inventory.ReceiveStock","type":"record"')
    for noise in ("default", "doc", "zaiko.enum", "logicalType", "namespace", "aliases"):
        assert f'"{noise}' not in form
