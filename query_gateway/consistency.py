"""Read-your-writes: wait until the read model has applied an aggregate's version.

The command gateway returns ``consistencyToken`` = ``"<aggregateId>:<version>"`` for an
accepted command. A query passing it waits, polling 投影位置 with a growing pause and
bounded by ``read_your_writes_timeout_s``, until 適用済シーケンス番号 >= version; when the
projection does not get there in time the field fails with CONSISTENCY_TIMEOUT (a client
that prefers stale data retries without the token). Polling, because the projector does
not NOTIFY and one indexed lookup per pause is cheap.
"""

from __future__ import annotations

import asyncio
import time

from query_gateway import sql
from query_gateway.db import Database
from query_gateway.errors import Code, GatewayError

FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.2


def parse_token(token: str) -> tuple[str, int]:
    """Split ``"<aggregateId>:<version>"``; VALIDATION_ERROR when malformed."""
    aggregate_id, sep, version = token.rpartition(":")
    if not sep or not aggregate_id or not version.isdigit() or int(version) < 1:
        raise GatewayError(
            Code.VALIDATION_ERROR,
            "consistencyToken must look like '<aggregateId>:<version>' (version >= 1)",
            field="consistencyToken",
        )
    return aggregate_id, int(version)


async def applied_version(db: Database, aggregate_id: str) -> int:
    """Return the read model's applied sequence number of an aggregate (0 when none)."""
    rows = await db.fetch(sql.POSITION, (aggregate_id,))
    return int(rows[0]["適用済シーケンス番号"]) if rows else 0


async def wait_until_applied(
    db: Database, aggregate_id: str, version: int, timeout_s: float
) -> None:
    """Return once 投影位置 has reached ``version``; raise CONSISTENCY_TIMEOUT otherwise."""
    deadline = time.monotonic() + timeout_s
    pause = FIRST_PAUSE_S
    while True:
        applied = await applied_version(db, aggregate_id)
        if applied >= version:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise GatewayError(
                Code.CONSISTENCY_TIMEOUT,
                f"the read model has not reached {aggregate_id} version {version} within"
                f" {timeout_s:g} s (it is at {applied}); retry, or query without the token"
                " to read the current (older) data",
                aggregateId=aggregate_id,
                version=version,
                appliedVersion=applied,
            )
        await asyncio.sleep(min(pause, left))
        pause = min(pause * 2, LONGEST_PAUSE_S)
