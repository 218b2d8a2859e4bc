"""The schema registry: every .avsc under schemas/avro, plus locked older forms, by fingerprint."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastavro import parse_schema
from fastavro.schema import to_parsing_canonical_form

from schemas.framing import fingerprint_of

AVRO_ROOT = Path(__file__).parent / "avro"
LOCK_PATH = Path(__file__).parent / "compat.lock.json"


@dataclass(frozen=True)
class SchemaEntry:
    """One schema a fingerprint resolves to: the writer's, and the current one to read as."""

    full_name: str
    fingerprint: bytes
    canonical_form: str
    writer: Any
    reader: Any
    path: Path | None = None

    @property
    def is_current(self) -> bool:
        return self.writer is self.reader


def parse(schema: Any) -> Any:
    """Parse a schema on its own, so each file's inline named types do not collide."""
    return parse_schema(schema, named_schemas={})


def full_name_of(schema: dict[str, Any]) -> str:
    """Return a record schema's full name."""
    name = str(schema["name"])
    namespace = schema.get("namespace")
    return name if "." in name or not namespace else f"{namespace}.{name}"


def load_schema_files(root: Path = AVRO_ROOT) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Return every .avsc file under root keyed by full name."""
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in sorted(root.rglob("*.avsc")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        name = full_name_of(schema)
        if name in found:
            raise ValueError(f"{name} defined twice: {found[name][0]} and {path}")
        found[name] = (path, schema)
    return found


def load_lock(path: Path = LOCK_PATH) -> dict[str, list[str]]:
    """Return the locked canonical forms per full name, oldest first (empty when absent)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: list(forms) for name, forms in data["schemas"].items()}


class SchemaRegistry:
    """Resolve fingerprints to schemas; built once from files, then read-only."""

    def __init__(self, files: dict[str, tuple[Path, dict[str, Any]]], lock: dict[str, list[str]]):
        self._by_name: dict[str, SchemaEntry] = {}
        self._by_fingerprint: dict[bytes, SchemaEntry] = {}
        for name, (path, schema) in files.items():
            parsed = parse(schema)
            canonical = to_parsing_canonical_form(schema)
            entry = SchemaEntry(name, fingerprint_of(canonical), canonical, parsed, parsed, path)
            self._add(entry)
            self._by_name[name] = entry
        for name, forms in lock.items():
            current = self._by_name.get(name)
            for form in forms:
                fingerprint = fingerprint_of(form)
                if current is None or fingerprint in self._by_fingerprint:
                    continue
                writer = parse(json.loads(form))
                self._add(SchemaEntry(name, fingerprint, form, writer, current.reader))

    def _add(self, entry: SchemaEntry) -> None:
        other = self._by_fingerprint.get(entry.fingerprint)
        if other is not None and other.full_name != entry.full_name:
            raise ValueError(f"fingerprint clash: {entry.full_name} and {other.full_name}")
        self._by_fingerprint[entry.fingerprint] = entry

    def by_fingerprint(self, fingerprint: bytes) -> SchemaEntry | None:
        """Return the entry a fingerprint names, or None."""
        return self._by_fingerprint.get(fingerprint)

    def by_name(self, full_name: str) -> SchemaEntry:
        """Return the current entry of a schema full name (KeyError when unknown)."""
        return self._by_name[full_name]

    def names(self) -> list[str]:
        """Return the full names of all current schemas, sorted."""
        return sorted(self._by_name)


@functools.cache
def default_registry() -> SchemaRegistry:
    """Return the registry of the committed schema files and lock, loaded on first use."""
    return SchemaRegistry(load_schema_files(), load_lock())
