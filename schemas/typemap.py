"""Map Python dataclasses to Avro schemas and their instances to and from Avro datums.

One walk over the type hints yields both the schema (for ``schemas.generate``) and the
converters the codec uses, so the two can never disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Callable
from typing import Any

from schemas.errors import MalformedMessageError

Convert = Callable[[Any], Any]
NO_DEFAULT: Any = object()
#: Dataclass field metadata key selecting ``timestamp-millis`` instead of ``timestamp-micros``.
AVRO_LOGICAL = "avro.logicalType"
ENUM_ATTRIBUTE = "zaiko.enum"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_PRIMITIVES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}


@dataclasses.dataclass(frozen=True)
class Node:
    """An Avro type with converters between Python values and Avro datums."""

    schema: Any
    to_avro: Convert
    from_avro: Convert


def _same(value: Any) -> Any:
    return value


def _timestamp_from_avro(unit: int) -> Convert:
    def convert(value: Any) -> dt.datetime:
        # Writer schemas read from canonical forms carry no logical type: plain ints arrive.
        if isinstance(value, int) and not isinstance(value, bool):
            return _EPOCH + dt.timedelta(microseconds=value * unit)
        if not isinstance(value, dt.datetime):
            raise MalformedMessageError(f"expected a timestamp, got {type(value).__name__}")
        return value

    return convert


def _enum_node(cls: type[enum.Enum]) -> Node:
    allowed = [member.value for member in cls]
    if not all(isinstance(value, str) for value in allowed):
        raise TypeError(f"{cls.__name__}: only str enums are supported")

    def from_avro(value: Any) -> enum.Enum:
        if value not in allowed:
            raise MalformedMessageError(f"value {value!r} not allowed for {cls.__name__}")
        return cls(value)

    return Node({"type": "string", ENUM_ATTRIBUTE: allowed}, lambda v: cls(v).value, from_avro)


def _value_object_node(cls: type[Any]) -> Node:
    """Map a validating ``str``/``int`` subclass (ids, quantities) to its primitive."""
    base = str if issubclass(cls, str) else int
    schema: dict[str, Any] = {"type": _PRIMITIVES[base], "zaiko.type": cls.__name__}
    pattern = getattr(cls, "pattern", None)
    if isinstance(pattern, re.Pattern):
        schema["zaiko.pattern"] = pattern.pattern
    minimum = getattr(cls, "minimum", None)
    if callable(minimum):
        schema["zaiko.minimum"] = minimum()
    return Node(schema, base, cls)


def _optional(inner: Node, null_first: bool) -> Node:
    def to_avro(value: Any) -> Any:
        return None if value is None else inner.to_avro(value)

    def from_avro(value: Any) -> Any:
        return None if value is None else inner.from_avro(value)

    schema = ["null", inner.schema] if null_first else [inner.schema, "null"]
    return Node(schema, to_avro, from_avro)


def _array(item: Node, collection: Callable[[Any], Any]) -> Node:
    return Node(
        {"type": "array", "items": item.schema},
        lambda values: [item.to_avro(v) for v in values],
        lambda values: collection(item.from_avro(v) for v in values),
    )


def type_node(tp: Any, logical: str | None = None) -> Node:
    """Return the Avro node for a field's type hint (the types domain messages use)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1 or len(args) != 2:
            raise TypeError(f"only Optional[X] unions are supported, got {tp!r}")
        return _optional(type_node(rest[0], logical), null_first=True)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _array(type_node(args[0], logical), tuple)
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            return _enum_node(tp)
        if tp in _PRIMITIVES:
            return Node(_PRIMITIVES[tp], _same, _same)
        if issubclass(tp, str | int) and not issubclass(tp, bool):
            return _value_object_node(tp)
        if tp is dt.datetime:
            unit = 1000 if logical == "timestamp-millis" else 1
            kind = logical or "timestamp-micros"
            return Node({"type": "long", "logicalType": kind}, _same, _timestamp_from_avro(unit))
    raise TypeError(f"no Avro mapping for type {tp!r}")


def _field_default(field: dataclasses.Field[Any], node: Node) -> Any:
    if field.default is not dataclasses.MISSING:
        return node.to_avro(field.default)
    if field.default_factory is not dataclasses.MISSING:
        return node.to_avro(field.default_factory())
    return NO_DEFAULT


def dataclass_node(
    cls: type[Any], namespace: str, extra: tuple[tuple[str, Node], ...] = ()
) -> Node:
    """Return the record node of a dataclass; `extra` fields (the envelope) come first.

    The node's converters cover the dataclass's own fields only.
    """
    hints = typing.get_type_hints(cls)
    own: list[tuple[str, Node]] = []
    avro_fields: list[dict[str, Any]] = [{"name": n, "type": node.schema} for n, node in extra]
    for f in dataclasses.fields(cls):
        node = type_node(hints[f.name], f.metadata.get(AVRO_LOGICAL))
        default = _field_default(f, node)
        if default is NO_DEFAULT and isinstance(node.schema, list):
            default = None  # optional fields may be left out by writers of older versions
        if isinstance(node.schema, list) and default is not None:
            node = Node(node.schema[::-1], node.to_avro, node.from_avro)  # default's branch first
        entry: dict[str, Any] = {"name": f.name, "type": node.schema}
        if default is not NO_DEFAULT:
            entry["default"] = default
        avro_fields.append(entry)
        own.append((f.name, node))
    schema = {"type": "record", "name": cls.__name__, "namespace": namespace, "fields": avro_fields}

    def to_avro(value: Any) -> dict[str, Any]:
        return {n: node.to_avro(getattr(value, n)) for n, node in own}

    def from_avro(datum: Any) -> Any:
        return cls(**{n: node.from_avro(datum[n]) for n, node in own})

    return Node(schema, to_avro, from_avro)
