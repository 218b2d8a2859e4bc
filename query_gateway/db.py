"""The read model's connection pool; every statement goes through ``fetch`` and is counted.

Each statement, the wait for a connection included, is bounded on the client side too:
a paused server answers no cancel and runs out no statement_timeout, and a server that
is down leaves the pool retrying. Either is UNAVAILABLE after ``timeout_s``, not a
request that hangs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from connectors.graphql.bounded import within
from connectors.postgres.conninfo import with_timeouts
from query_gateway.positions import unavailable

Row = dict[str, Any]


class Database:
    """Runs read-only statements on pooled autocommit connections (dict rows)."""

    def __init__(self, pool: AsyncConnectionPool[Any], timeout_s: float = 5.0) -> None:
        self.pool = pool
        self.timeout_s = timeout_s
        self.statements = 0  # statements run so far; tests and the bench read it

    @classmethod
    def for_url(
        cls, url: str, min_size: int = 2, max_size: int = 10, timeout_s: float = 5.0
    ) -> Database:
        """Build a closed pool for ``url`` (``open`` connects it)."""
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            with_timeouts(url),
            min_size=min_size,
            max_size=max_size,
            kwargs={"autocommit": True, "row_factory": dict_row},
            open=False,
            name="query-gateway",
        )
        return cls(pool, timeout_s)

    async def open(self) -> None:
        """Open the pool without waiting for Postgres (health reports it down meanwhile)."""
        await self.pool.open(wait=False)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.pool.close()

    async def fetch(self, statement: str, params: Sequence[Any] | None = None) -> list[Row]:
        """Run one statement and return its rows as dicts."""
        self.statements += 1
        try:
            return await within(self._fetch(statement, params), self.timeout_s)
        except (psycopg.OperationalError, PoolTimeout, TimeoutError) as exc:
            raise unavailable(exc) from None

    async def _fetch(self, statement: str, params: Sequence[Any] | None) -> list[Row]:
        async with self.pool.connection(timeout=self.timeout_s) as conn:
            cursor = await conn.execute(statement, params)
            rows: list[Row] = await cursor.fetchall()
            return rows

    async def ping(self, timeout_s: float = 2.0) -> None:
        """Raise unless Postgres answers ``SELECT 1`` within ``timeout_s``."""
        async with self.pool.connection(timeout=timeout_s) as conn:
            await conn.execute("SELECT 1")
