"""One poll of the read model's positions for every consistency token this process waits on.

Every pending (aggregate, version) of every request is answered by one statement per
tick on one connection of the poller's own, so waiting never takes a connection from
the pool, however many requests or tokens wait. The statement also reads 投影保留 (the
projector's parked aggregates) when that table exists: a version at or after the parked
event will not arrive until an operator retries it, so the wait fails at once with
PROJECTION_PARKED. A row of 投影位置 at 0 means "claimed, nothing applied": it satisfies
no token (versions start at 1). A poll that fails or hangs fails its waiters with
UNAVAILABLE and drops the connection; the next waiter connects anew.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from dataclasses import dataclass, field
from typing import Any

import psycopg

from connectors.graphql.bounded import within
from query_gateway.errors import Code, GatewayError

log = logging.getLogger(__name__)
POSITIONS = (
    "SELECT a.id, p.適用済シーケンス番号, NULL::bigint FROM unnest(%s::text[]) a(id)"
    " LEFT JOIN 投影位置 p ON p.集約ID = a.id"
)
WITH_PARKED = (
    "SELECT a.id, p.適用済シーケンス番号, h.保留シーケンス番号 FROM unnest(%s::text[]) a(id)"
    " LEFT JOIN 投影位置 p ON p.集約ID = a.id LEFT JOIN 投影保留 h ON h.集約ID = a.id"
)
PARKING_EXISTS = "SELECT to_regclass('投影保留') IS NOT NULL"
PROBE_EVERY_S = 30.0  # how soon a gateway sees 投影保留 created after it started
MIN_GAP_S = 0.005  # at most one statement per gap, whatever the arrivals


@dataclass
class _Waiter:
    version: int
    future: asyncio.Future[None]
    applied: int = 0


@dataclass
class PositionPoller:
    """Waits for versions of aggregates; one background task polls for all of them."""

    conninfo: str
    interval_s: float = 0.02
    poll_timeout_s: float = 3.0
    statements: int = 0  # statements run so far; tests read it
    _pending: dict[str, list[_Waiter]] = field(default_factory=dict)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None
    _conn: Any = None
    _parking: bool | None = None
    _probed_at: float = 0.0

    async def wait(self, aggregate_id: str, version: int, deadline: float) -> None:
        """Return once ``aggregate_id`` reached ``version``; raise a typed error otherwise.

        ``deadline`` is on the event loop's clock (``loop.time()``).
        """
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            # a context of its own: it outlives the request that starts it, whose
            # correlation id must not name every line it logs from then on
            self._task = loop.create_task(self._run(), name="position-poller",
                                          context=contextvars.Context())  # fmt: skip
        waiter = _Waiter(version, loop.create_future())
        self._pending.setdefault(aggregate_id, []).append(waiter)
        self._wake.set()
        try:
            async with asyncio.timeout_at(deadline):
                await waiter.future
        except TimeoutError:
            raise GatewayError(
                Code.CONSISTENCY_TIMEOUT,
                f"the read model has not reached {aggregate_id} version {version} in time"
                f" (it is at {waiter.applied}); retry, or query without the token to read"
                " the current (older) data",
                aggregateId=aggregate_id,
                version=version,
                appliedVersion=waiter.applied,
            ) from None
        finally:
            if waiter.future.done() and not waiter.future.cancelled():
                waiter.future.exception()  # retrieved, also when the deadline came first
            waiters = self._pending.get(aggregate_id, [])
            if waiter in waiters:
                waiters.remove(waiter)
            if not waiters:
                self._pending.pop(aggregate_id, None)

    def forget_parking(self) -> None:
        """Look for 投影保留 again at the next poll (it may have been created meanwhile)."""
        self._parking = None

    async def stop(self) -> None:
        """Stop polling and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._drop()

    async def _run(self) -> None:
        while True:
            if not self._pending:
                await self._wake.wait()
            self._wake.clear()
            await self._tick()
            await asyncio.sleep(MIN_GAP_S)
            if self._pending and not self._wake.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.interval_s)

    async def _tick(self) -> None:
        ids = list(self._pending)
        if not ids:
            return
        try:
            rows = await within(self._poll(ids), self.poll_timeout_s)
        except Exception as exc:  # down, paused, refused: every waiter hears it now
            log.warning("polling 投影位置 failed: %s: %s", type(exc).__name__, exc)
            self._conn = None  # an abandoned poll may still hold it: it closes it
            self._settle_all(exc)
            return
        for aggregate_id, applied, parked_at in rows:
            for waiter in self._pending.get(aggregate_id, []):
                waiter.applied = applied or 0
                if waiter.future.done():
                    continue
                if waiter.applied >= waiter.version:
                    waiter.future.set_result(None)
                elif parked_at is not None and parked_at <= waiter.version:
                    waiter.future.set_exception(_parked(aggregate_id, waiter, parked_at))

    async def _poll(self, ids: list[str]) -> list[tuple[str, int | None, int | None]]:
        conn = await self._connection()
        try:
            return await self._positions(conn, ids)
        except BaseException:
            with contextlib.suppress(Exception):
                await conn.close()
            raise

    async def _positions(
        self, conn: Any, ids: list[str]
    ) -> list[tuple[str, int | None, int | None]]:
        now = asyncio.get_running_loop().time()
        if self._parking is None or now - self._probed_at > PROBE_EVERY_S:
            self._parking = bool((await (await conn.execute(PARKING_EXISTS)).fetchone())[0])
            self._probed_at = now
        self.statements += 1
        try:
            cursor = await conn.execute(WITH_PARKED if self._parking else POSITIONS, (ids,))
        except psycopg.errors.UndefinedTable:  # dropped since the probe: look again next time
            self._parking = None
            raise
        rows: list[tuple[str, int | None, int | None]] = await cursor.fetchall()
        return rows

    async def _connection(self) -> Any:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
        return self._conn

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 1.0)

    def _settle_all(self, exc: BaseException) -> None:
        for waiters in self._pending.values():
            for waiter in waiters:
                if not waiter.future.done():
                    waiter.future.set_exception(unavailable(exc))


def unavailable(exc: BaseException) -> GatewayError:
    """Return the error of a read model that did not answer (down, paused, refused)."""
    return GatewayError(
        Code.UNAVAILABLE,
        "the read model's database did not answer in time; retry later",
        reason=type(exc).__name__,
    )


def _parked(aggregate_id: str, waiter: _Waiter, parked_at: int) -> GatewayError:
    return GatewayError(
        Code.PROJECTION_PARKED,
        f"the projector parked {aggregate_id} at version {parked_at} (an event it could not"
        f" apply): version {waiter.version} will not be readable until an operator retries it",
        aggregateId=aggregate_id,
        version=waiter.version,
        appliedVersion=waiter.applied,
        parkedVersion=parked_at,
    )
