"""Every message type the codec knows: domain commands and events plus our own records."""

from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from schemas.envelope import CommandMeta, EventMeta
from schemas.records import CommandOutcome, LowStockAlert, Notification
from schemas.topics import normalize_aggregate
from schemas.typemap import Node, dataclass_node

Kind = Literal["command", "event", "outcome", "alert"]
_FOLDER: dict[Kind, str] = {
    "command": "commands",
    "event": "events",
    "outcome": "results",
    "alert": "alerts",
}
_VERSIONED = re.compile(r"(.+)_V(\d+)")
_ALIASES = {"zone": "warehouse-zone", "warehousezone": "warehouse-zone"}


@dataclass(frozen=True)
class MessageSpec:
    """A Python message class and where its schema lives."""

    kind: Kind
    cls: type[Any]
    aggregate: str | None = None

    @property
    def namespace(self) -> str:
        parts = ["zaiko", _FOLDER[self.kind]]
        if self.aggregate:
            parts.append(self.aggregate.replace("-", "_"))
        return ".".join(parts)

    @property
    def name(self) -> str:
        return self.cls.__name__

    @property
    def full_name(self) -> str:
        return f"{self.namespace}.{self.name}"

    @property
    def path(self) -> PurePosixPath:
        """Return the .avsc path relative to ``schemas/avro``."""
        folder = PurePosixPath(_FOLDER[self.kind])
        if self.aggregate:
            folder /= self.aggregate.replace("-", "_")
        return folder / f"{self.name}.avsc"

    @property
    def schema(self) -> dict[str, Any]:
        """Return the schema as written to its .avsc file."""
        schema = dict(self.node.schema)
        doc = inspect.cleandoc(self.cls.__dict__.get("__doc__") or "")
        if doc and not doc.startswith(f"{self.name}("):  # skip dataclass's generated signature
            schema["doc"] = doc
        previous = _previous_versions(self.name)
        if previous:
            schema["aliases"] = [f"{self.namespace}.{name}" for name in previous]
        return schema

    @functools.cached_property
    def node(self) -> Node:
        """Return the record node; its converters cover the business fields only."""
        extra: tuple[tuple[str, Node], ...] = ()
        if self.kind in ("command", "event"):
            extra = (("meta", meta_node(self.kind)),)
        return dataclass_node(self.cls, self.namespace, extra)


@functools.cache
def meta_node(kind: Kind) -> Node:
    """Return the envelope record node of commands or events."""
    if kind == "command":
        return dataclass_node(CommandMeta, "zaiko.commands")
    return dataclass_node(EventMeta, "zaiko.events")


def _previous_versions(name: str) -> list[str]:
    """Return the names of earlier versions: ``X_V3`` -> ``X_V1``, ``X_V2``."""
    match = _VERSIONED.fullmatch(name)
    if not match:
        return []
    return [f"{match[1]}_V{n}" for n in range(1, int(match[2]))]


def aggregate_name(value: object) -> str:
    """Return the topic spelling of an aggregate given as a string, class or module name."""
    raw = value if isinstance(value, str) else getattr(value, "__name__", str(value))
    key = raw.rsplit(".", 1)[-1].lower().replace("_", "").replace("-", "")
    return normalize_aggregate(_ALIASES.get(key, raw.rsplit(".", 1)[-1]))


@functools.cache
def message_specs() -> tuple[MessageSpec, ...]:
    """Return every message spec, sorted by full name."""
    from domain import messages  # deferred: keeps `import schemas` cheap

    specs = [
        MessageSpec("command", cls, aggregate_name(messages.AGGREGATE_OF_COMMAND[name]))
        for name, cls in messages.COMMANDS.items()
    ]
    specs += [
        MessageSpec("event", cls, aggregate_name(messages.AGGREGATE_OF_EVENT[name]))
        for name, cls in messages.EVENTS.items()
    ]
    specs += [MessageSpec("outcome", CommandOutcome), MessageSpec("alert", LowStockAlert),
              MessageSpec("alert", Notification)]  # fmt: skip
    return tuple(sorted(specs, key=lambda spec: spec.full_name))


@functools.cache
def spec_by_full_name() -> dict[str, MessageSpec]:
    """Return the specs keyed by Avro full name."""
    return {spec.full_name: spec for spec in message_specs()}


@functools.cache
def spec_by_class() -> dict[type[Any], MessageSpec]:
    """Return the specs keyed by Python class."""
    return {spec.cls: spec for spec in message_specs()}
