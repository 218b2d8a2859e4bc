"""moto 5.x's DynamoDB, made to cost the same at any table size on the paths Zaiko uses.

A Query on a table's own key (no index) in moto copies every item of the table into a
list, sorts it by (hash key, range key) with Python-level comparisons, and only then
keeps the items of the one hash key asked for: O(n log n) in the table's size for an
answer of a few items. Measured here on the embedded server with 50,000 journal items:
513 ms of CPU per Query (Limit 1), during which the server, one thread, answers
nothing else. PutItem, GetItem, BatchWriteItem and GetRecords cost the same fresh and
at that size (see docs/decisions.md).

``install()`` makes such a Query look only at that hash key's items: while moto's own
``Table.query`` runs, ``Table.all_items`` returns just them (still sorted), so moto's
filtering, ordering, paging, limits and projections are untouched and the answer is the
same. Scan, index queries and PartiQL still see the whole table.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

_scope = threading.local()  # the hash key a running base-table Query is limited to


def _items_of(table: Table, hash_key: DynamoType) -> list[Item]:
    """Return the items stored under ``hash_key``, sorted as ``all_items`` sorts them."""
    found: Any = table.items.get(hash_key)  # .get: items is a defaultdict; do not add keys
    if found is None:
        return []
    if table.range_key_attr:
        return sorted(found.values(), key=lambda item: item.range_key)
    return [found]


def install() -> None:
    """Patch ``Table.query``/``Table.all_items`` once (idempotent)."""
    if getattr(Table.query, "_zaiko_tuned", False):
        return
    original_query, original_all_items = Table.query, Table.all_items

    @functools.wraps(original_query)
    def query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name or not isinstance(hash_key, DynamoType):
            return original_query(self, hash_key, *args, **kwargs)
        outer = getattr(_scope, "limit", None)
        _scope.limit = (self, hash_key)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _scope.limit = outer

    @functools.wraps(original_all_items)
    def all_items(self: Table) -> list[Item]:
        limit = getattr(_scope, "limit", None)
        if limit is not None and limit[0] is self:
            return _items_of(self, limit[1])
        return original_all_items(self)

    query._zaiko_tuned = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]
