"""Write one .avsc file per message type from the Python dataclasses.

Usage: ``python -m schemas.generate`` (writes) or ``python -m schemas.generate --check``
(exit 1 when the committed files differ from what would be generated).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from schemas.catalog import MessageSpec, message_specs
from schemas.registry import AVRO_ROOT


def render(schema: dict[str, Any]) -> str:
    """Render a schema as stable JSON: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def field_docs(spec: MessageSpec) -> dict[str, str]:
    """Return each field's doc: the bound its check enforces (`domain.limits`).

    An event field takes the doc of the command field of the same name (events are
    recorded facts, checked as commands); figures only events carry have their own.
    """
    from domain import messages
    from domain.fields import EVENT_ONLY_FIELDS
    from domain.message import field_rules

    commands = {
        rule.name: rule.check.doc
        for cls in messages.COMMANDS.values()
        for rule in field_rules(cls)
        if rule.check is not None
    }
    if spec.kind == "command":
        return {r.name: r.check.doc for r in field_rules(spec.cls) if r.check is not None}
    if spec.kind == "event":
        known = commands | {name: check.doc for name, check in EVENT_ONLY_FIELDS.items()}
        names = [rule.name for rule in field_rules(spec.cls) if rule.enum is None]
        return {name: known[name] for name in names if name in known}
    return {}


def documented(spec: MessageSpec) -> dict[str, Any]:
    """Return the spec's schema with each field's bound as its doc (canonical form unchanged)."""
    schema = dict(spec.schema)
    docs = field_docs(spec)
    schema["fields"] = [
        {**field, "doc": docs[field["name"]]} if field["name"] in docs else field
        for field in schema["fields"]
    ]
    return schema


def expected_files() -> dict[str, str]:
    """Return the generated text of every .avsc file keyed by path relative to the Avro root."""
    return {str(spec.path): render(documented(spec)) for spec in message_specs()}


def actual_files(root: Path = AVRO_ROOT) -> dict[str, str]:
    """Return the text of every .avsc file under root keyed by relative path."""
    return {
        str(path.relative_to(root).as_posix()): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.avsc"))
    }


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """Return the relative paths whose generated and committed texts differ."""
    return sorted(p for p in expected.keys() | actual.keys() if expected.get(p) != actual.get(p))


def write(root: Path = AVRO_ROOT) -> list[str]:
    """Write the generated files, delete stale ones, and return what changed."""
    expected, actual = expected_files(), actual_files(root)
    changed = differences(expected, actual)
    for relative in changed:
        path = root / relative
        if relative in expected:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(expected[relative], encoding="utf-8")
        else:
            path.unlink()
    return changed


def main(argv: list[str] | None = None) -> int:
    """Generate the schema files, or with --check report whether they are up to date."""
    parser = argparse.ArgumentParser(prog="python -m schemas.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report differences")
    args = parser.parse_args(argv)
    if args.check:
        stale = differences(expected_files(), actual_files())
        for relative in stale:
            print(f"out of date: schemas/avro/{relative}")
        return 1 if stale else 0
    for relative in write():
        print(f"wrote schemas/avro/{relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
