"""The read model's connection pool; every statement goes through ``fetch`` and is counted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from connectors.postgres.conninfo import with_timeouts

Row = dict[str, Any]


class Database:
    """Runs read-only statements on pooled autocommit connections (dict rows)."""

    def __init__(self, pool: AsyncConnectionPool[Any]) -> None:
        self.pool = pool
        self.statements = 0  # statements run so far; tests and the bench read it

    @classmethod
    def for_url(cls, url: str, min_size: int = 2, max_size: int = 10) -> Database:
        """Build a closed pool for ``url`` (``open`` connects it)."""
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            with_timeouts(url),
            min_size=min_size,
            max_size=max_size,
            kwargs={"autocommit": True, "row_factory": dict_row},
            open=False,
            name="query-gateway",
        )
        return cls(pool)

    async def open(self) -> None:
        """Open the pool without waiting for Postgres (health reports it down meanwhile)."""
        await self.pool.open(wait=False)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.pool.close()

    async def fetch(self, statement: str, params: Sequence[Any] | None = None) -> list[Row]:
        """Run one statement and return its rows as dicts."""
        self.statements += 1
        async with self.pool.connection() as conn:
            cursor = await conn.execute(statement, params)
            rows: list[Row] = await cursor.fetchall()
            return rows

    async def ping(self, timeout_s: float = 2.0) -> None:
        """Raise unless Postgres answers ``SELECT 1`` within ``timeout_s``."""
        async with self.pool.connection(timeout=timeout_s) as conn:
            await conn.execute("SELECT 1")
