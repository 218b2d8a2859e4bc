"""Commands as a careless partner produces them: fields set without the domain's validation."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def raw(cls: type[T], **fields: Any) -> T:
    """Return a ``cls`` holding ``fields`` as given (the worker must judge them, not us)."""
    message = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(message, name, value)
    return message
