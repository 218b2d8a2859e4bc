"""Encode aggregate states as JSON for snapshots, and decode them back.

Explicit tags instead of pickle: a snapshot outlives the code that wrote it, so it
must name every type it holds and refuse anything it does not know.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from domain import enums
from domain.aggregate import Absent
from domain.customer.state import Customer
from domain.inventory.state import Inventory, PendingTransfer
from domain.product.state import Product
from domain.warehouse.state import Warehouse
from domain.zone.state import WarehouseZone

FORMAT = 1
_DATACLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (Absent, Product, Customer, Warehouse, WarehouseZone, Inventory, PendingTransfer)
}
_ENUMS: dict[str, type[Enum]] = {
    cls.__name__: cls
    for cls in vars(enums).values()
    if isinstance(cls, type) and issubclass(cls, Enum) and cls.__module__ == enums.__name__
}


class StateCodecError(ValueError):
    """A snapshot cannot be encoded or decoded."""


def _to_json(value: Any) -> Any:
    if isinstance(value, Enum):
        return {"$enum": type(value).__name__, "value": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _DATACLASSES.get(name) is not type(value):
            raise StateCodecError(f"cannot snapshot a {name}")
        fields = {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$type": name, "fields": fields}
    if isinstance(value, frozenset | set):
        return {"$set": sorted(_to_json(v) for v in value)}
    if isinstance(value, Mapping):
        return {"$map": {str(k): _to_json(v) for k, v in value.items()}}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise StateCodecError(f"cannot snapshot a value of type {type(value).__name__}")


def _from_json(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "$enum" in value:
        return _ENUMS[value["$enum"]](value["value"])
    if "$type" in value:
        cls = _DATACLASSES[value["$type"]]
        return cls(**{k: _from_json(v) for k, v in value["fields"].items()})
    if "$set" in value:
        return frozenset(_from_json(v) for v in value["$set"])
    if "$map" in value:
        return {k: _from_json(v) for k, v in value["$map"].items()}
    raise StateCodecError(f"unknown tag in {sorted(value)}")


def encode_state(state: object) -> bytes:
    """Return ``state`` (a domain state dataclass) as UTF-8 JSON bytes."""
    document = {"format": FORMAT, "state": _to_json(state)}
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode()


def decode_state(data: bytes) -> Any:
    """Return the domain state ``encode_state`` wrote; raise StateCodecError otherwise."""
    try:
        document = json.loads(data)
        if document.get("format") != FORMAT:
            raise StateCodecError(f"unsupported snapshot format {document.get('format')!r}")
        return _from_json(document["state"])
    except StateCodecError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise StateCodecError(f"corrupt snapshot: {e!r}") from e
