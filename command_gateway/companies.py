"""The company master (企業) in PostgreSQL: plain CRUD, no events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from command_gateway.ports import (
    CompanyExistsError,
    CompanyNotFoundError,
    CompanyStoreUnavailableError,
)
from connectors.graphql.bounded import within
from connectors.postgres.conninfo import with_timeouts
from domain.company import Company

# Company field -> 企業 column; the read model speaks Japanese, the code English.
COLUMNS: Mapping[str, str] = {
    "company_id": "企業ID",
    "name": "企業名",
    "company_type": "企業種別",
    "postal_code": "郵便番号",
    "address": "住所",
    "phone": "電話番号",
    "representative": "代表者名",
    "established_on": "設立年月日",
    "capital_yen": "資本金",
    "employees": "従業員数",
}
_SELECT = ", ".join([*(f"{c} AS {f}" for f, c in COLUMNS.items()),
                     "作成日時 AS created_at", "更新日時 AS updated_at"])  # fmt: skip
_FIELDS = [f for f in COLUMNS if f != "company_id"]

INSERT = (
    f"INSERT INTO 企業 ({', '.join(COLUMNS.values())}) "
    f"VALUES ({', '.join(f'%({f})s' for f in COLUMNS)}) "
    f"ON CONFLICT (企業ID) DO NOTHING RETURNING {_SELECT}"
)
UPDATE = (
    f"UPDATE 企業 SET {', '.join(f'{COLUMNS[f]} = %({f})s' for f in _FIELDS)}, "
    f"更新日時 = now() WHERE 企業ID = %(company_id)s RETURNING {_SELECT}"
)
SELECT = f"SELECT {_SELECT} FROM 企業 WHERE 企業ID = %(company_id)s"
DELETE = "DELETE FROM 企業 WHERE 企業ID = %(company_id)s"


def _params(company: Company) -> dict[str, Any]:
    params = {f: getattr(company, f) for f in COLUMNS}
    params["company_type"] = company.company_type.value
    return params


class PostgresCompanyStore:
    """``CompanyStore`` over a psycopg async connection pool."""

    def __init__(self, database_url: str, max_size: int, timeout_s: float = 5.0) -> None:
        self.database_url = database_url
        self.max_size = max_size
        self.timeout_s = timeout_s  # a statement, its wait for a connection included
        self._pool: Any = None

    async def start(self) -> None:
        """Create the pool; connections are opened on demand, so a down database is not fatal."""
        from psycopg.rows import dict_row
        from psycopg_pool import AsyncConnectionPool

        self._pool = AsyncConnectionPool(
            with_timeouts(self.database_url), min_size=0, max_size=self.max_size, open=False,
            kwargs={"row_factory": dict_row, "autocommit": True}, timeout=self.timeout_s,
        )  # fmt: skip
        await self._pool.open(wait=False)

    async def stop(self) -> None:
        """Close the pool."""
        if self._pool is not None:
            await self._pool.close()

    async def _execute(self, sql: str, params: Mapping[str, Any]) -> tuple[Any, int]:
        """Run one statement; return (first row or None, rowcount).

        Bounded on this side too: a paused server neither answers nor times out.
        """
        from psycopg import OperationalError
        from psycopg_pool import PoolTimeout

        try:
            return await within(self._run(sql, params), self.timeout_s)
        except (OperationalError, PoolTimeout, TimeoutError) as e:
            raise CompanyStoreUnavailableError(type(e).__name__) from e

    async def _run(self, sql: str, params: Mapping[str, Any]) -> tuple[Any, int]:
        async with self._pool.connection() as conn:
            cursor = await conn.execute(sql, params)
            row = await cursor.fetchone() if cursor.description else None
            return row, cursor.rowcount

    async def _one(self, sql: str, params: Mapping[str, Any]) -> dict[str, Any] | None:
        row: dict[str, Any] | None = (await self._execute(sql, params))[0]
        return row

    async def create(self, company: Company) -> Mapping[str, Any]:
        """Insert ``company``; raise CompanyExistsError if its id is taken."""
        row = await self._one(INSERT, _params(company))
        if row is None:
            raise CompanyExistsError(company.company_id)
        return row

    async def get(self, company_id: str) -> Mapping[str, Any] | None:
        """Return the company's row, or None."""
        return await self._one(SELECT, {"company_id": company_id})

    async def update(self, company: Company) -> Mapping[str, Any]:
        """Replace every field of the company; raise CompanyNotFoundError if absent."""
        row = await self._one(UPDATE, _params(company))
        if row is None:
            raise CompanyNotFoundError(company.company_id)
        return row

    async def delete(self, company_id: str) -> bool:
        """Delete the company; return whether it existed."""
        return bool((await self._execute(DELETE, {"company_id": company_id}))[1])

    async def reachable(self, timeout_s: float) -> bool:
        """Tell whether ``SELECT 1`` answers within ``timeout_s``."""
        if self._pool is None:
            return False
        try:
            await within(self._one("SELECT 1 AS ok", {}), timeout_s)
        except Exception:
            return False
        return True
