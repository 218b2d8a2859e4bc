"""Relay-style cursor pagination over keyset order (stable under inserts, no OFFSET scans).

A cursor is the opaque base64 of the row's sort key values (the last key is unique), so
the next page starts strictly after it. One statement returns the page and the filtered
total: ``LEFT JOIN LATERAL`` keeps a row holding the total even when the page is empty.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from query_gateway.db import Database
from query_gateway.errors import Code, GatewayError
from query_gateway.settings import QueryGatewaySettings

Row = dict[str, Any]
TIMESTAMPS = frozenset({"作成日時", "更新日時", "受払日時"})  # timestamptz sort columns


def checked_page_size(first: int | None, settings: QueryGatewaySettings) -> int:
    """Return ``first`` (default when None); VALIDATION_ERROR outside 1..max_page_size."""
    size = settings.default_page_size if first is None else first
    if not 1 <= size <= settings.max_page_size:
        raise GatewayError(
            Code.VALIDATION_ERROR,
            f"first must be between 1 and {settings.max_page_size}",
            field="first",
            maxPageSize=settings.max_page_size,
        )
    return min(size, settings.max_page_size)


def encode_cursor(values: Sequence[Any]) -> str:
    """Return the opaque cursor of a row's sort key values."""
    plain = [v.isoformat() if isinstance(v, dt.datetime | dt.date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode()


def decode_cursor(cursor: str, keyset: Keyset) -> list[Any]:
    """Return the sort key values of a cursor; VALIDATION_ERROR when it is not ours.

    Each value must have its column's type (text, or an ISO timestamp for the time
    columns), so a forged cursor is refused here instead of failing in PostgreSQL.
    """
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(values, list) or len(values) != len(keyset.columns):
            raise ValueError("not a sort key of this list")
        return [_typed(column, value) for column, value in zip(keyset.columns, values, strict=True)]
    except (binascii.Error, ValueError, UnicodeError, RecursionError):
        raise GatewayError(
            Code.VALIDATION_ERROR, "after is not a cursor of this list", field="after"
        ) from None


def _typed(column: str, value: Any) -> Any:
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(f"{column}: not text")
    value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError
    if column not in TIMESTAMPS:
        return value
    at = dt.datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise ValueError(f"{column}: a timestamp without its time zone")
    return at


@dataclass(frozen=True)
class Keyset:
    """The sort of a list: (quoted) column names of the filtered rows, the last one unique."""

    columns: tuple[str, ...]
    descending: bool = False

    def order_by(self) -> str:
        direction = " DESC" if self.descending else ""
        return ", ".join(f'"{c}"{direction}' for c in self.columns)

    def after(self) -> str:
        op = "<" if self.descending else ">"
        width = len(self.columns)
        quoted = ", ".join(f'"{c}"' for c in self.columns)
        return f"({quoted}) {op} ({', '.join(['%s'] * width)})"


async def fetch_page(
    db: Database,
    filtered: str,
    params: Sequence[Any],
    keyset: Keyset,
    first: int,
    after: str | None,
    to_node: Callable[[Row], Row],
) -> Row:
    """Return a connection dict (edges, page_info, total_count) for one page."""
    condition, extra = "true", []
    if after is not None:
        condition, extra = keyset.after(), decode_cursor(after, keyset)
    statement = (
        f"WITH f AS ({filtered}) SELECT t._total, page.* FROM (SELECT count(*) AS _total FROM f) t"
        f" LEFT JOIN LATERAL (SELECT * FROM f WHERE {condition} ORDER BY {keyset.order_by()}"
        f" LIMIT %s) page ON true ORDER BY {keyset.order_by()}"
    )
    rows = await db.fetch(statement, [*params, *extra, first + 1])
    total = int(rows[0]["_total"]) if rows else 0
    rows = [row for row in rows if row[keyset.columns[-1]] is not None]
    edges = [
        {"node": to_node(row), "cursor": encode_cursor([row[c] for c in keyset.columns])}
        for row in rows[:first]
    ]
    return {
        "edges": edges,
        "total_count": total,
        "page_info": {
            "has_next_page": len(rows) > first,
            "has_previous_page": after is not None,
            "start_cursor": edges[0]["cursor"] if edges else None,
            "end_cursor": edges[-1]["cursor"] if edges else None,
        },
    }
