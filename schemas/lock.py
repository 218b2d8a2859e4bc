"""The compatibility lock: every committed Parsing Canonical Form of every schema.

``python -m schemas.lock`` records the current schemas, refusing a change that cannot read
data written with an earlier locked form (``--force`` overrides); ``--check`` only reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastavro.schema import to_parsing_canonical_form

from schemas.compat import incompatibilities
from schemas.registry import LOCK_PATH, load_lock, load_schema_files

Lock = dict[str, list[str]]


@dataclass
class LockPlan:
    """The lock after recording the current schemas, and what stands in the way."""

    lock: Lock
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    incompatible: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return not (self.added or self.changed or self.removed or self.incompatible)


def plan(current: dict[str, dict[str, Any]], locked: Lock) -> LockPlan:
    """Work out the new lock for the current schemas (full name -> schema JSON)."""
    result = LockPlan(lock={})
    for name in sorted(current):
        schema = current[name]
        form = to_parsing_canonical_form(schema)
        history = list(locked.get(name, []))
        for old in history:
            for problem in incompatibilities(old, schema):
                result.incompatible.append(f"{name} cannot read its locked form {old}: {problem}")
        if not history:
            result.added.append(name)
        elif history[-1] != form:
            result.changed.append(name)
        if form in history:
            history.remove(form)  # a reverted schema becomes the newest again
        result.lock[name] = [*history, form]
    result.removed = sorted(set(locked) - set(current))
    return result


def render(lock: Lock) -> str:
    """Render the lock file as stable JSON."""
    document = {
        "about": "Parsing Canonical Forms of every committed schema version, oldest first. "
        "Update with: python -m schemas.lock",
        "schemas": {name: lock[name] for name in sorted(lock)},
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def current_schemas() -> dict[str, dict[str, Any]]:
    """Return the committed .avsc schemas by full name."""
    return {name: schema for name, (_, schema) in load_schema_files().items()}


def main(argv: list[str] | None = None, lock_path: Path = LOCK_PATH) -> int:
    """Update (or with --check verify) the compatibility lock."""
    parser = argparse.ArgumentParser(prog="python -m schemas.lock", description=__doc__)
    parser.add_argument("--check", action="store_true", help="report, do not write")
    parser.add_argument("--force", action="store_true", help="accept incompatible changes")
    args = parser.parse_args(argv)
    result = plan(current_schemas(), load_lock(lock_path))
    for label, names in (("new", result.added), ("changed", result.changed)):
        for name in names:
            print(f"{label}: {name}")
    for name in result.removed:
        print(f"removed: {name} (data written with it can no longer be decoded)")
    for problem in result.incompatible:
        print(f"INCOMPATIBLE: {problem}", file=sys.stderr)
    if args.check:
        return 0 if result.up_to_date else 1
    blocked = result.incompatible or result.removed
    if blocked and not args.force:
        print("refusing to update the lock; fix the schemas or pass --force", file=sys.stderr)
        return 1
    lock_path.write_text(render(result.lock), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
