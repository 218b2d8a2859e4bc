from __future__ import annotations

import copy
import json

import pytest
from fastavro.schema import to_parsing_canonical_form

from schemas import lock as lock_module
from schemas.compat import incompatibilities
from schemas.lock import current_schemas, plan
from schemas.registry import load_lock

CURRENT = current_schemas()
LOCKED = load_lock()
NAME = "zaiko.commands.inventory.ReceiveStock"


def test_the_lock_records_every_current_schema_as_its_newest_form() -> None:
    result = plan(CURRENT, LOCKED)
    assert result.up_to_date, (
        f"run python -m schemas.lock: new {result.added}, changed {result.changed}, "
        f"removed {result.removed}"
    )


@pytest.mark.parametrize("name", sorted(LOCKED))
def test_every_schema_reads_data_written_with_each_of_its_locked_forms(name: str) -> None:
    assert name in CURRENT, f"{name} was removed; data written with it can no longer be read"
    for form in LOCKED[name]:
        assert incompatibilities(form, CURRENT[name]) == []


def _with(schema: dict, **field_changes: object) -> dict[str, dict]:
    changed = copy.deepcopy(schema)
    for name, new_type in field_changes.items():
        fields = [f for f in changed["fields"] if f["name"] != name]
        if new_type is not None:
            fields.append({"name": name, **new_type})  # type: ignore[dict-item]
        changed["fields"] = fields
    return {**CURRENT, NAME: changed}


def test_adding_an_optional_field_with_a_default_is_compatible_and_locked_as_a_new_form() -> None:
    current = _with(CURRENT[NAME], lot_no={"type": ["null", "string"], "default": None})
    result = plan(current, LOCKED)
    assert result.changed == [NAME] and not result.incompatible
    assert result.lock[NAME] == [*LOCKED[NAME], to_parsing_canonical_form(current[NAME])]


@pytest.mark.parametrize(
    "change",
    [{"lot_no": {"type": "string"}}, {"quantity": {"type": "string"}}],
    ids=["required-field-added", "type-changed"],
)
def test_an_incompatible_change_is_reported(change: dict) -> None:
    result = plan(_with(CURRENT[NAME], **change), LOCKED)
    assert result.incompatible and NAME in result.incompatible[0]


def test_a_new_schema_is_added_to_the_lock() -> None:
    new = {"type": "record", "name": "Ping", "namespace": "zaiko.test", "fields": []}
    result = plan({**CURRENT, "zaiko.test.Ping": new}, LOCKED)
    assert result.added == ["zaiko.test.Ping"] and not result.incompatible


def test_the_lock_command_refuses_an_incompatible_change_unless_forced(
    tmp_path, monkeypatch
) -> None:
    lock_path = tmp_path / "compat.lock.json"
    lock_path.write_text(lock_module.render(LOCKED), encoding="utf-8")
    monkeypatch.setattr(
        lock_module, "current_schemas", lambda: _with(CURRENT[NAME], quantity={"type": "string"})
    )

    assert lock_module.main([], lock_path=lock_path) == 1
    assert json.loads(lock_path.read_text())["schemas"] == LOCKED
    assert lock_module.main(["--force"], lock_path=lock_path) == 0
    assert len(json.loads(lock_path.read_text())["schemas"][NAME]) == len(LOCKED[NAME]) + 1
