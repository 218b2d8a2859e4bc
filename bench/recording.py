"""A DynamoDB client wrapper that records each request's operation and table."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

OPERATIONS = frozenset({
    "batch_get_item", "batch_write_item", "delete_item", "get_item", "put_item", "query",
    "scan", "transact_write_items", "update_item",
})  # fmt: skip


class RecordingClient:
    """Pass every call through; remember ``(operation, table)`` of the data-plane ones.

    Each call is also marked with the thread that made it, so a caller sharing the
    client with others can count its own requests only.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[str, str]] = []
        self._threads: list[int] = []
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if name not in OPERATIONS:
            return attribute

        def call(**params: Any) -> Any:
            tables = [params["TableName"]] if "TableName" in params else [
                *params.get("RequestItems", {}),
                *(i[k]["TableName"] for i in params.get("TransactItems", ()) for k in i),
            ]  # fmt: skip
            with self._lock:
                self.calls.extend((name, table) for table in tables)
                self._threads.extend(threading.get_ident() for _ in tables)
            return attribute(**params)

        return call

    def counts(self, thread: int | None = None) -> Counter[tuple[str, str]]:
        """Return how many requests of each (operation, table) were made (by ``thread``)."""
        with self._lock:
            pairs = zip(self.calls, self._threads, strict=True)
            return Counter(call for call, t in pairs if thread in (None, t))

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self._threads.clear()
