"""Helpers shared by the root query fields: the consistency token, lookups, filters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import graphene

from query_gateway.context import RequestContext
from query_gateway.errors import Code, GatewayError
from query_gateway.pagination import Keyset, fetch_page
from query_gateway.prefetch import node_tree, prefetch
from query_gateway.rows import english, split_zone_id

TOKEN_HELP = (
    "A consistencyToken ('<aggregateId>:<version>') returned by the Command API: the field"
    " waits, bounded by the server's read_your_writes_timeout_s, until the read model has"
    " applied that version, else fails with CONSISTENCY_TIMEOUT."
)


def root_field(type_: Any, description: str, **args: Any) -> graphene.Field:
    """Return a root field that also accepts ``consistencyToken``."""
    return graphene.Field(
        type_,
        description=description,
        consistency_token=graphene.String(description=TOKEN_HELP),
        **args,
    )


def page_args(**args: Any) -> dict[str, Any]:
    """Return a connection's arguments: filters plus ``first`` and ``after``."""
    return {**args, "first": graphene.Int(), "after": graphene.String()}


async def consistent(info: graphene.ResolveInfo, token: str | None) -> Any:
    """Wait for the token (if any) and return the request context."""
    await info.context.ensure_consistent(token)
    return info.context


def found(row: Any, what: str, key: str) -> Any:
    """Return ``row``; NOT_FOUND when the lookup found nothing."""
    if row is None:
        raise GatewayError(Code.NOT_FOUND, f"{what} {key!r} not found", id=key)
    return row


def zone_key(zone_id: str) -> tuple[str, str]:
    """Return (倉庫コード, 区画番号) of ``TKY-01``; VALIDATION_ERROR when malformed."""
    try:
        return split_zone_id(zone_id)
    except ValueError:
        raise GatewayError(
            Code.VALIDATION_ERROR, f"zone id {zone_id!r} is not like 'TKY-01'", field="zoneId"
        ) from None


class Filters:
    """Collects ``column = %s`` style conditions and their parameters."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.params: list[Any] = []

    def add(self, condition: str, *params: Any, when: bool = True) -> None:
        if when:
            self.conditions.append(condition)
            self.params.extend(params)

    def equal(self, column: str, value: Any) -> None:
        """Add ``column = %s`` when ``value`` was given (an enum member as its stored value)."""
        self.add(f"{column} = %s", RequestContext.value(value), when=value is not None)

    def where(self) -> str:
        return " WHERE " + " AND ".join(self.conditions) if self.conditions else ""


def like_pattern(text: str) -> str:
    """Return an ILIKE pattern matching ``text`` anywhere, wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def english_rows(columns: dict[str, str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Return a row converter for ``fetch_page``."""
    return lambda row: english(row, columns)


async def page_with_relations(info: graphene.ResolveInfo, kind: str, page: dict[str, Any]) -> Any:
    """Prefetch the selected relations of a connection's nodes; return the connection."""
    nodes = [edge["node"] for edge in page["edges"]]
    await prefetch(info.context.loaders, kind, nodes, node_tree(info, "edges", "node"))
    return page


async def with_relations(info: graphene.ResolveInfo, kind: str, rows: Any) -> Any:
    """Prefetch the selected relations of a row or a list of rows; return them."""
    if rows is not None:
        batch = rows if isinstance(rows, list) else [rows]
        await prefetch(info.context.loaders, kind, batch, node_tree(info))
    return rows


async def one(
    info: graphene.ResolveInfo, token: str | None, kind: str, key: str, relations: bool = True
) -> Any:
    """Wait for the token, load the ``kind`` row of ``key`` (NOT_FOUND when missing)."""
    ctx = await consistent(info, token)
    row = found(await getattr(ctx.loaders, kind).load(key), kind, key)
    return await with_relations(info, kind, row) if relations else row


async def english_list(
    info: graphene.ResolveInfo,
    statement: str,
    columns: dict[str, str],
    params: Sequence[Any] | None = None,
) -> list[dict[str, Any]]:
    """Run ``statement`` and return its rows with English field names."""
    return [english(row, columns) for row in await info.context.db.fetch(statement, params)]


async def connection(
    info: graphene.ResolveInfo,
    token: str | None,
    kind: str | None,
    select: str,
    filters: Filters,
    keyset: Keyset,
    columns: dict[str, str],
    first: int | None,
    after: str | None,
    leading: Sequence[Any] = (),
) -> Any:
    """Return one page of ``select`` + ``filters`` (after ``leading`` params) as a connection.

    Waits for the consistency ``token`` first. The selected relations of its nodes are
    prefetched when ``kind`` names them.
    """
    ctx = await consistent(info, token)
    size = ctx.page_size(first)
    statement, params = select + filters.where(), [*leading, *filters.params]
    page = await fetch_page(ctx.db, statement, params, keyset, size, after, english_rows(columns))
    return page if kind is None else await page_with_relations(info, kind, page)
