"""The codec's error hierarchy: everything decode can raise derives from CodecError."""

from __future__ import annotations


class CodecError(Exception):
    """Base class for every error raised while encoding or decoding a message."""


class UnknownSchemaError(CodecError):
    """The single-object header names a fingerprint no known schema has."""

    def __init__(self, fingerprint: bytes) -> None:
        self.fingerprint = fingerprint.hex()
        super().__init__(f"unknown schema fingerprint {self.fingerprint}")


class MalformedMessageError(CodecError):
    """The bytes are not a valid message: bad magic, truncated, corrupt or disallowed value."""


class UnexpectedMessageTypeError(CodecError):
    """The message decoded fine but is not of the kind the caller asked for."""

    def __init__(self, expected: str, actual: str) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(f"expected a {expected}, got {actual}")


class EncodingError(CodecError):
    """A message cannot be encoded: unknown type or a value its schema does not allow."""
