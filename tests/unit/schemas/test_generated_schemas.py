from __future__ import annotations

import json

from fastavro import parse_schema

from schemas.generate import actual_files, differences, expected_files


def test_committed_schema_files_equal_what_the_generator_produces() -> None:
    stale = differences(expected_files(), actual_files())
    assert not stale, f"run python -m schemas.generate; out of date: {stale}"


def test_every_schema_file_is_a_standalone_valid_avro_schema() -> None:
    for path, text in actual_files().items():
        parse_schema(json.loads(text), named_schemas={})  # no shared named types
        assert text.endswith("}\n"), path


def test_enum_fields_carry_their_allowed_japanese_values() -> None:
    schema = json.loads(actual_files()["commands/product/ChangeStorageCondition.avsc"])
    field = next(f for f in schema["fields"] if f["name"] == "storage_condition")
    assert field["type"] == {"type": "string", "zaiko.enum": ["常温", "冷蔵", "冷凍"]}


def test_v2_names_its_previous_version_as_an_alias() -> None:
    schema = json.loads(actual_files()["events/product/ProductUpdated_V2.avsc"])
    assert schema["aliases"] == ["zaiko.events.product.ProductUpdated_V1"]


def test_the_generator_writes_every_file_and_deletes_stale_ones(tmp_path) -> None:
    from schemas.generate import write

    stray = tmp_path / "events" / "product" / "Gone_V1.avsc"
    stray.parent.mkdir(parents=True)
    stray.write_text("{}", encoding="utf-8")

    write(tmp_path)

    assert not stray.exists()
    assert actual_files(tmp_path) == expected_files()


def test_every_checked_command_field_carries_its_bound_as_doc() -> None:
    from domain import limits, messages
    from domain.message import field_rules

    files = actual_files()
    for name, cls in messages.COMMANDS.items():
        path = next(p for p in files if p.startswith("commands/") and p.endswith(f"/{name}.avsc"))
        fields = {f["name"]: f for f in json.loads(files[path])["fields"]}
        for rule in field_rules(cls):
            assert rule.check is None or fields[rule.name]["doc"] == rule.check.doc, (name, rule)
    receive = json.loads(files["commands/inventory/ReceiveStock.avsc"])
    quantity = next(f for f in receive["fields"] if f["name"] == "quantity")
    assert f"{limits.MAX_QUANTITY:,}" in quantity["doc"]


def test_field_docs_leave_every_canonical_form_and_so_every_fingerprint_unchanged() -> None:
    from fastavro.schema import to_parsing_canonical_form

    from schemas.registry import load_lock

    lock = load_lock()
    for text in actual_files().values():
        schema = json.loads(text)
        full_name = f"{schema['namespace']}.{schema['name']}"
        assert to_parsing_canonical_form(schema) == lock[full_name][-1], full_name
