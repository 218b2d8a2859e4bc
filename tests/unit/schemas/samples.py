"""Build valid sample instances of any message class from its type hints and field names."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from typing import Any

from schemas.catalog import MessageSpec
from schemas.envelope import CommandEnvelope, CommandMeta, EventEnvelope, EventMeta

AT = dt.datetime(2026, 4, 1, 9, 30, 15, 123000, tzinfo=dt.UTC)

# Domain commands validate ids and quantities, so values follow the field's name.
BY_NAME: dict[str, Any] = {
    "inventory_id": "PRD-000001@TKY-01",
    "to_inventory_id": "PRD-000001@OSK-02",
    "from_inventory_id": "PRD-000001@OSK-02",
    "counterpart_inventory_id": "PRD-000001@OSK-02",
    "product_id": "PRD-000001",
    "customer_id": "CUS-0001",
    "company_id": "CMP-0001",
    "warehouse_id": "TKY",
    "counterpart_warehouse_id": "OSK",
    "zone_id": "TKY-01",
    "counterpart_zone_id": "OSK-02",
    "zone_no": "01",
    "reservation_id": "RSV-20260401-1",
    "transfer_id": "TRF-20260401-1",
    "sku": "SKU-4901234",
    "unit": "個",
    "delta": -2,
    "min_temperature_c": -25.0,
    "max_temperature_c": -18.0,
    "floor_area_m2": 5000.5,
    "attempted_command": "ReceiveStock",
}


def sample_value(name: str, hint: Any, fill_optional: bool) -> Any:
    """Return a valid value for a field, by name first and by type otherwise."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in args if a is not type(None))
        return sample_value(name, inner, fill_optional) if fill_optional else None
    if origin is tuple:
        return (sample_value(name, args[0], fill_optional),)
    if name in BY_NAME:
        return BY_NAME[name]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return list(hint)[-1]
    if hint is bool:
        return True
    if hint is int:
        return 3
    if hint is float:
        return 12.5
    if hint is dt.datetime:
        return AT
    if hint is str:
        return f"サンプル {name}"
    raise TypeError(f"no sample for {name}: {hint!r}")


def sample_message(cls: type[Any], fill_optional: bool = True) -> Any:
    """Return a valid instance of a message dataclass."""
    hints = typing.get_type_hints(cls)
    values = {
        f.name: sample_value(f.name, hints[f.name], fill_optional)
        for f in dataclasses.fields(cls)
        if f.init
    }
    return cls(**values)


def command_meta(aggregate_id: str = "PRD-000001@TKY-01", **overrides: Any) -> CommandMeta:
    values: dict[str, Any] = {
        "command_id": "cmd-0001",
        "aggregate_id": aggregate_id,
        "expected_version": 7,
        "issued_at": AT,
        "channel": "ec-site",
        "correlation_id": "corr-0001",
    }
    return CommandMeta(**{**values, **overrides})


def event_meta(aggregate_id: str = "PRD-000001@TKY-01", **overrides: Any) -> EventMeta:
    values: dict[str, Any] = {
        "event_id": "evt-0001",
        "aggregate_id": aggregate_id,
        "sequence_nr": 8,
        "occurred_at": AT,
        "causation_id": "cmd-0001",
        "correlation_id": "corr-0001",
    }
    return EventMeta(**{**values, **overrides})


def sample_for(spec: MessageSpec, fill_optional: bool = True) -> Any:
    """Return an encodable sample of a spec: an envelope, outcome or alert."""
    payload = sample_message(spec.cls, fill_optional)
    if spec.kind == "command":
        return CommandEnvelope(command_meta(), payload)
    if spec.kind == "event":
        return EventEnvelope(event_meta(), payload)
    return payload
