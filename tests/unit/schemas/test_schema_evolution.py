from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import pytest
from fastavro import schemaless_reader, schemaless_writer
from fastavro.schema import to_parsing_canonical_form

from domain.inventory.commands import TransferStockIn
from domain.inventory.events import StockTransferred_V1, ZoneTransferred_V1
from domain.product.events import ProductUpdated_V1, ProductUpdated_V2
from schemas.codec import decode, decode_event, encode
from schemas.envelope import CommandEnvelope, EventEnvelope
from schemas.framing import fingerprint_of, frame, split
from schemas.registry import SchemaRegistry, load_lock, load_schema_files, parse
from schemas.upcast import upcast
from tests.unit.schemas.samples import command_meta, event_meta, sample_message
from tests.unit.transfers.released import first_shape

V1_NAME = "zaiko.events.product.ProductUpdated_V1"
V2_NAME = "zaiko.events.product.ProductUpdated_V2"
FILES = load_schema_files()


def _v1_envelope() -> EventEnvelope[ProductUpdated_V1]:
    return EventEnvelope(event_meta("PRD-000001"), sample_message(ProductUpdated_V1))


def test_v2_is_v1_plus_optional_fields_only() -> None:
    v1 = {f.name: f.type for f in dataclasses.fields(ProductUpdated_V1)}
    v2_fields = dataclasses.fields(ProductUpdated_V2)
    assert {f.name: f.type for f in v2_fields if f.name in v1} == v1
    added = [f for f in v2_fields if f.name not in v1]
    assert added and all(f.default is None for f in added)


def test_data_written_with_v1_reads_with_the_v2_schema_through_fastavro_resolution() -> None:
    writer, reader = parse(FILES[V1_NAME][1]), parse(FILES[V2_NAME][1])
    v1_datum = {
        "meta": {
            "event_id": "e",
            "aggregate_id": "PRD-000001",
            "sequence_nr": 2,
            "occurred_at": 1,
            "causation_id": "c",
            "correlation_id": "r",
        },
        "product_id": "PRD-000001",
        "name": "緑茶",
        "sku": "SKU-001",
        "category": "食品類",
        "description": "",
        "unit": "本",
        "reference_price": 120,
    }
    body = io.BytesIO()
    schemaless_writer(body, writer, v1_datum)

    read = schemaless_reader(io.BytesIO(body.getvalue()), writer, reader)

    assert read["jan_code"] is None
    assert {k: v for k, v in read.items() if k not in ("jan_code", "meta")} == {
        k: v for k, v in v1_datum.items() if k != "meta"
    }


def test_upcasting_turns_a_decoded_v1_into_v2_with_the_same_meta_and_fields() -> None:
    original = _v1_envelope()
    data = encode(original)

    as_written = decode(data)
    upcast_on_decode = decode(data, upcast=True)

    assert as_written == original
    assert type(upcast_on_decode.event) is ProductUpdated_V2
    assert upcast_on_decode == upcast(original)
    assert upcast_on_decode.meta == original.meta
    assert upcast_on_decode.event.jan_code is None
    for field in dataclasses.fields(ProductUpdated_V1):
        assert getattr(upcast_on_decode.event, field.name) == getattr(original.event, field.name)


def test_decode_event_hands_consumers_the_newest_version_by_default() -> None:
    assert type(decode_event(encode(_v1_envelope())).event) is ProductUpdated_V2


def test_the_newest_version_is_left_as_it_is() -> None:
    newest = EventEnvelope(event_meta(), sample_message(ProductUpdated_V2))
    assert upcast(newest) is newest
    assert decode(encode(newest), upcast=True) == newest


def test_bytes_written_with_an_older_locked_form_of_a_schema_still_decode() -> None:
    # Pretend V1 once lacked its optional reference_price: that form is in the lock.
    old_schema = json.loads(json.dumps(FILES[V1_NAME][1]))
    old_schema["fields"] = [f for f in old_schema["fields"] if f["name"] != "reference_price"]
    old_form = to_parsing_canonical_form(old_schema)
    lock = {**load_lock(), V1_NAME: [old_form, *load_lock()[V1_NAME]]}
    registry = SchemaRegistry(FILES, lock)
    expected = _v1_envelope()
    datum = {
        "meta": {
            "event_id": "evt-0001",
            "aggregate_id": "PRD-000001",
            "sequence_nr": 8,
            "occurred_at": int(expected.meta.occurred_at.timestamp() * 1000),
            "causation_id": "cmd-0001",
            "correlation_id": "corr-0001",
        },
        **{f.name: getattr(expected.event, f.name) for f in dataclasses.fields(expected.event)},
    }
    datum["category"] = expected.event.category.value
    del datum["reference_price"]
    body = io.BytesIO()
    schemaless_writer(body, parse(old_schema), datum)

    decoded = decode(frame(fingerprint_of(old_form), body.getvalue()), registry=registry)

    assert decoded == dataclasses.replace(
        expected, event=dataclasses.replace(expected.event, reference_price=None)
    )


@pytest.mark.parametrize("cls", [StockTransferred_V1, ZoneTransferred_V1, TransferStockIn])
def test_transfer_messages_written_before_names_decode_without_one(cls: type) -> None:
    payload = sample_message(cls)
    assert payload.out_sequence_nr is not None
    if cls is TransferStockIn:
        message: Any = CommandEnvelope(command_meta(), payload)
        expected: Any = dataclasses.replace(message, command=_unnamed(payload))
    else:
        message = EventEnvelope(event_meta(), payload)
        expected = dataclasses.replace(message, event=_unnamed(payload))
    released = first_shape(encode(message))  # the lock's first form: the shape as released
    assert split(released)[0] != split(encode(message))[0]
    assert decode(released) == expected


def _unnamed(payload: Any) -> Any:
    return dataclasses.replace(payload, out_sequence_nr=None)
