"""Whatever bytes arrive, decode raises only CodecError subclasses."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.catalog import message_specs
from schemas.codec import decode, encode, message_type_of
from schemas.errors import CodecError, MalformedMessageError, UnknownSchemaError
from schemas.framing import HEADER_SIZE
from tests.unit.schemas.samples import sample_for

SPECS = message_specs()
VALID = [encode(sample_for(spec, fill)) for spec in SPECS for fill in (True, False)]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _decode_or_codec_error(data: bytes) -> None:
    with contextlib.suppress(CodecError):
        decode(data, upcast=True)


def test_unknown_fingerprint_is_reported_with_its_hex() -> None:
    data = b"\xc3\x01" + bytes.fromhex("0011223344556677") + b"\x00"
    with pytest.raises(UnknownSchemaError) as raised:
        decode(data)
    assert raised.value.fingerprint == "0011223344556677"
    with pytest.raises(UnknownSchemaError):
        message_type_of(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"\xc3", b"\xc3\x01\x00", b"\x00\x01" + VALID[0][2:], b"{}", b"\xc3\x02" + VALID[0][2:]],
    ids=["empty", "half-magic", "short-header", "bad-magic", "json", "wrong-version"],
)
def test_broken_headers_are_malformed(data: bytes) -> None:
    with pytest.raises(MalformedMessageError):
        decode(data)


def test_trailing_bytes_after_the_body_are_malformed() -> None:
    with pytest.raises(MalformedMessageError, match="trailing"):
        decode(VALID[0] + b"\x00")


def test_every_truncation_of_a_valid_message_is_malformed() -> None:
    for data in VALID:
        for cut in range(len(data)):
            with pytest.raises(MalformedMessageError):
                decode(data[:cut])


def test_an_enum_value_outside_the_allowed_set_is_malformed() -> None:
    spec = next(s for s in SPECS if s.name == "ChangeStorageCondition")
    data = encode(sample_for(spec))
    allowed = sample_for(spec).command.storage_condition.value.encode()
    forged = data.replace(allowed, "常夏".encode())  # same UTF-8 length, not a condition
    assert forged != data
    with pytest.raises(MalformedMessageError):
        decode(forged)


def test_an_absurd_string_length_is_malformed_not_a_memory_error() -> None:
    spec = next(s for s in SPECS if s.name == "CreateInventory")
    data = encode(sample_for(spec))
    huge_length = b"\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01"  # zigzag varint of 2**63 - 1
    with pytest.raises(MalformedMessageError):
        decode(data[:HEADER_SIZE] + huge_length + data[HEADER_SIZE + 1 :])


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_raise_only_codec_errors(data: bytes) -> None:
    _decode_or_codec_error(data)


@FUZZ
@given(st.sampled_from(VALID), st.binary(max_size=64))
def test_valid_headers_with_random_bodies_raise_only_codec_errors(
    valid: bytes, body: bytes
) -> None:
    _decode_or_codec_error(valid[:HEADER_SIZE] + body)


@FUZZ
@given(st.sampled_from(VALID), st.data())
def test_bit_flipped_messages_raise_only_codec_errors(valid: bytes, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.integers(HEADER_SIZE * 8, len(valid) * 8 - 1), max_size=4))
    corrupted = bytearray(valid)
    for bit in flips:
        corrupted[bit // 8] ^= 1 << (bit % 8)
    cut = data.draw(st.integers(0, len(corrupted)))
    _decode_or_codec_error(bytes(corrupted[:cut]))
