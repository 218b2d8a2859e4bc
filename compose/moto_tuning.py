"""moto 5.x's DynamoDB and its streams, made cheaper on the paths Zaiko uses (same answers).

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

A GetRecords answer goes through moto's generic response serializer, which walks the
service model for every attribute of every record's NewImage: measured during the
D商事 load, 30 % of the embedded server's CPU, about 1.5 ms per journal entry the
bridge reads (more than the PutItem that wrote it). The records moto keeps are
already in the wire's shape (``StreamRecord.to_json``), so ``install()`` also makes
GetRecords answer ``json.dumps`` of them, converting the two values JSON cannot hold
as moto's serializer does: a datetime to epoch seconds truncated to milliseconds, and
bytes to base64. Errors (an unknown or expired iterator) are raised by the same
backend call as before.

Every request also lists its handler class's methods with ``inspect.getmembers``
(``method_names_from_class``, 5.6 % of the server's CPU in that load) to check that
the action exists; ``install()`` remembers the list per class. The handler classes
never change while the server runs (the GetRecords patch above is installed first).
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import functools
import json
import threading
from typing import Any

import moto.core.responses as moto_responses
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

DEFAULT_LIMIT = 1000  # moto's default for GetRecords without a Limit
CONTENT_TYPE = "application/x-amz-json-1.0"

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
    """Patch ``Table.query``/``Table.all_items`` and GetRecords once (idempotent)."""
    _install_query()
    _install_get_records()
    _install_method_names()


def _install_method_names() -> None:
    listed = vars(moto_responses)["method_names_from_class"]
    if not hasattr(listed, "cache_info"):
        setattr(moto_responses, "method_names_from_class", functools.cache(listed))  # noqa: B010


def _wire_value(value: Any) -> Any:
    """Return what moto's JSON serializer writes for a value ``json`` cannot hold."""
    if isinstance(value, dt.datetime):
        seconds = calendar.timegm(value.timetuple())
        return seconds + (value.microsecond // 1000) / 1000.0 if value.microsecond else seconds
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def get_records(self: DynamoDBStreamsHandler) -> tuple[str, dict[str, str]]:
    """Answer GetRecords with the records as moto keeps them, written by ``json``."""
    limit = self._get_param("Limit")
    result = self.backend.get_records(
        self._get_param("ShardIterator"), DEFAULT_LIMIT if limit is None else limit
    )
    return json.dumps(result, default=_wire_value), {"Content-Type": CONTENT_TYPE}


def _install_get_records() -> None:
    if getattr(DynamoDBStreamsHandler.get_records, "_zaiko_tuned", False):
        return
    get_records.__wrapped__ = DynamoDBStreamsHandler.get_records  # type: ignore[attr-defined]
    get_records._zaiko_tuned = True  # type: ignore[attr-defined]
    DynamoDBStreamsHandler.get_records = get_records  # type: ignore[assignment,method-assign]


def _install_query() -> None:
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
