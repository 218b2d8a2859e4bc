"""Encode aggregate states for snapshots (compressed JSON), and decode them back.

Explicit tags instead of pickle: a snapshot outlives the code that wrote it, so it
must name every type it holds and refuse anything it does not know.

Format 2 (written): ``MAGIC`` + zlib(JSON). Format 1 (bare JSON, starting with ``{``)
still decodes, except an Inventory: format 1 kept its settled ids as unordered sets
and format 2 as bounded windows, oldest first, whose order cannot be rebuilt from a
set; such a snapshot is refused and the loader replays the journal instead, so every
worker folds the same windows.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections.abc import Mapping
from enum import Enum
from typing import Any

from domain import enums
from domain.aggregate import Absent
from domain.customer.state import Customer
from domain.inventory.recent import RecentIds
from domain.inventory.state import Inventory, PendingTransfer
from domain.product.state import Product
from domain.warehouse.state import Warehouse
from domain.zone.state import WarehouseZone

FORMAT = 2
MAGIC = b"ZKS\x02"
# DynamoDB refuses items over 400 KB (names and values of every attribute together);
# leave room for the key attributes and any growth of the item's other attributes.
MAX_SNAPSHOT_BYTES = 256 * 1024
_DATACLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (Absent, Product, Customer, Warehouse, WarehouseZone, Inventory, PendingTransfer)
}
_ENUMS: dict[str, type[Enum]] = {
    cls.__name__: cls
    for cls in vars(enums).values()
    if isinstance(cls, type) and issubclass(cls, Enum) and cls.__module__ == enums.__name__
}
_WINDOWS = ("closed_reservations", "settled_transfers", "received_transfers")


class StateCodecError(ValueError):
    """A snapshot cannot be encoded or decoded."""


class SnapshotTooLargeError(StateCodecError):
    """A state whose snapshot would not fit a DynamoDB item safely: skip the snapshot."""


def _to_json(value: Any) -> Any:
    if isinstance(value, Enum):
        return {"$enum": type(value).__name__, "value": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _DATACLASSES.get(name) is not type(value):
            raise StateCodecError(f"cannot snapshot a {name}")
        fields = {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$type": name, "fields": fields}
    if isinstance(value, RecentIds):  # a JSON list keeps the window's order
        return {"$recent": list(value.ids)}
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
    if "$recent" in value:
        return RecentIds(str(v) for v in value["$recent"])
    if "$set" in value:
        return frozenset(_from_json(v) for v in value["$set"])
    if "$map" in value:
        return {k: _from_json(v) for k, v in value["$map"].items()}
    raise StateCodecError(f"unknown tag in {sorted(value)}")


def to_document(state: object) -> Any:
    """Return ``state`` as the tagged JSON value a snapshot holds (no size limit)."""
    return _to_json(state)


def from_document(document: Any) -> Any:
    """Return the state ``to_document`` tagged; raise StateCodecError on unknown tags."""
    try:
        return _from_json(document)
    except StateCodecError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise StateCodecError(f"corrupt state: {e!r}") from e


def encode_state(state: object) -> bytes:
    """Return ``state`` (a domain state dataclass) as a format-2 snapshot.

    Raise SnapshotTooLargeError when it would exceed MAX_SNAPSHOT_BYTES even compressed.
    """
    document = {"format": FORMAT, "state": _to_json(state)}
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = MAGIC + zlib.compress(text.encode(), 6)
    if len(data) > MAX_SNAPSHOT_BYTES:
        raise SnapshotTooLargeError(
            f"snapshot of {len(data):,} bytes (limit {MAX_SNAPSHOT_BYTES:,}) skipped"
        )
    return data


def decode_state(data: bytes) -> Any:
    """Return the domain state ``encode_state`` wrote; raise StateCodecError otherwise."""
    try:
        if data.startswith(MAGIC):
            document, expected = json.loads(zlib.decompress(data[len(MAGIC) :])), FORMAT
        else:
            document, expected = json.loads(data), 1
        if document.get("format") != expected:
            raise StateCodecError(f"unsupported snapshot format {document.get('format')!r}")
        state = _from_json(document["state"])
    except StateCodecError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, zlib.error) as e:
        raise StateCodecError(f"corrupt snapshot: {e!r}") from e
    if isinstance(state, Inventory) and not all(
        isinstance(getattr(state, w), RecentIds) for w in _WINDOWS
    ):
        raise StateCodecError("a format-1 inventory snapshot has no ordered windows")
    return state
