"""The read side of the cache: hits return (value, version); misses return None.

A query gateway doing cache-aside reads the read-model row together with its 投影位置
version in one snapshot and fills with that version: a fill racing a projector that has
meanwhile written a newer version is refused by the same compare-and-set.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from connectors.redis import keys
from connectors.redis.versioned import (
    CacheWrite,
    Mode,
    Outcome,
    Versioned,
    VersionedStore,
    parse_entry,
)


class CacheReader:
    """Reads and cache-aside fills of product, warehouse, zone and inventory entries."""

    def __init__(self, store: VersionedStore, prefix: str = keys.PREFIX) -> None:
        self.store = store
        self.prefix = prefix

    def get_product(self, product_id: str) -> Versioned | None:
        """Return the cached 商品 row and its version, or None on a miss."""
        return self._master(keys.product_key(product_id, self.prefix))

    def get_warehouse(self, warehouse_id: str) -> Versioned | None:
        """Return the cached 倉庫 row and its version, or None on a miss."""
        return self._master(keys.warehouse_key(warehouse_id, self.prefix))

    def get_zone(self, zone_id: str) -> Versioned | None:
        """Return the cached 倉庫別区画 row and its version, or None on a miss."""
        return self._master(keys.zone_key(zone_id, self.prefix))

    def get_inventory(self, product_id: str) -> dict[str, Versioned] | None:
        """Return zone id -> 在庫 figures for every zone of a product, or None on a miss.

        A miss unless a fill marked the hash complete (an event alone only knows its own
        zone) and no zone is invalidated.
        """
        raw = self.store.read_hash(keys.inventory_key(product_id, self.prefix))
        if raw.pop(keys.COMPLETE_FIELD, None) is None:
            return None
        result: dict[str, Versioned] = {}
        for zone_id, text in raw.items():
            entry = _versioned(parse_entry(text))
            if entry is None:
                return None
            result[zone_id] = entry
        return result

    def get_inventory_in_zone(self, product_id: str, zone_id: str) -> Versioned | None:
        """Return one inventory's cached figures, or None on a miss."""
        return _versioned(self.store.read(keys.inventory_key(product_id, self.prefix), zone_id))

    def fill_product(self, product_id: str, row: Versioned) -> Outcome:
        """Cache a 商品 row read from Postgres at ``row.version``, unless newer is cached."""
        return self._fill(keys.product_key(product_id, self.prefix), row)

    def fill_warehouse(self, warehouse_id: str, row: Versioned) -> Outcome:
        """Cache a 倉庫 row read from Postgres at ``row.version``, unless newer is cached."""
        return self._fill(keys.warehouse_key(warehouse_id, self.prefix), row)

    def fill_zone(self, zone_id: str, row: Versioned) -> Outcome:
        """Cache a 倉庫別区画 row read from Postgres at ``row.version``, unless newer is cached."""
        return self._fill(keys.zone_key(zone_id, self.prefix), row)

    def fill_inventory(self, product_id: str, rows: Mapping[str, Versioned]) -> list[Outcome]:
        """Cache every zone's 在庫 row of a product (zone id -> row) and mark it complete."""
        key = keys.inventory_key(product_id, self.prefix)
        writes = [
            CacheWrite(key, zone, Mode.SET, row.version, _dumps(row)) for zone, row in rows.items()
        ]
        if not writes:
            return []
        return self.store.write_many(writes, complete=key)

    def _master(self, key: str) -> Versioned | None:
        return _versioned(self.store.read(key, keys.STATE_FIELD))

    def _fill(self, key: str, row: Versioned) -> Outcome:
        return self.store.set_if_newer(key, keys.STATE_FIELD, row.version, _dumps(row))


def _dumps(row: Versioned) -> str:
    return json.dumps(row.value, ensure_ascii=False, separators=(",", ":"), default=str)


def _versioned(entry: tuple[int, str] | None) -> Versioned | None:
    if entry is None or not entry[1]:
        return None  # absent, or a tombstone: the caller reads the read model
    return Versioned(json.loads(entry[1]), entry[0])
