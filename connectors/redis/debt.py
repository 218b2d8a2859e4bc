"""Cache debt: the Redis entries the projector could not write, kept in PostgreSQL until repaid.

When Redis is down or refuses writes after PostgreSQL committed a batch, the batch's
cache writes neither stop the projection nor vanish: their (key, field, version) go to
キャッシュ未反映 (one row per entry, at the newest version it missed). ``repay`` turns
each into a tombstone at that version once Redis answers, then deletes the row unless
a newer version was recorded meanwhile. Cost: the rows of the debt, read in pages of
``page``; with no debt, one indexed ``LIMIT 1`` read per call.

What a reader may see meanwhile: when Redis kept its data but the projector could not
reach it, the entries cached before the outage, at their old versions, until the debt
is repaid (a query with a consistency token never does: an entry older than the token's
version is a miss and reads PostgreSQL); when Redis lost its data, misses, which read
PostgreSQL. Once repaid, every entry touched during the outage is a tombstone at a
version the read model holds, so the next read fills it from PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import psycopg

from connectors.redis.versioned import CacheWrite, Mode, VersionedStore

RECORD = """
INSERT INTO キャッシュ未反映 (キー, フィールド, バージョン)
SELECT k, f, max(v) FROM unnest(%b::text[], %b::text[], %b::bigint[]) AS u(k, f, v)
GROUP BY k, f ORDER BY k, f
ON CONFLICT (キー, フィールド) DO UPDATE SET
    バージョン = greatest(キャッシュ未反映.バージョン, EXCLUDED.バージョン), 記録日時 = now()
"""
ANY_DEBT = "SELECT 1 FROM キャッシュ未反映 LIMIT 1"
PAGE = """
SELECT キー, フィールド, バージョン FROM キャッシュ未反映 ORDER BY キー, フィールド LIMIT %s
"""
PAID = """
DELETE FROM キャッシュ未反映 d USING unnest(%b::text[], %b::text[], %b::bigint[]) AS u(k, f, v)
WHERE d.キー = u.k AND d.フィールド = u.f AND d.バージョン = u.v
"""
COUNT = "SELECT count(*) FROM キャッシュ未反映"

Connect = Callable[[], psycopg.Connection[Any]]


class CacheDebt:
    """Records and repays cache debt over one connection of its own (reopened after a failure)."""

    def __init__(self, connect: Connect, page: int = 500) -> None:
        self._connect = connect
        self._conn: psycopg.Connection[Any] | None = None
        self._lock = threading.Lock()  # the projection threads and the repair timer share it
        self.page = page

    def record(self, writes: Sequence[CacheWrite]) -> int:
        """Remember that ``writes`` did not reach Redis; return how many entries."""
        if not writes:
            return 0
        columns = [[w.key for w in writes], [w.field for w in writes], [w.version for w in writes]]
        self._execute(lambda conn: conn.execute(RECORD, columns))
        return len({(w.key, w.field) for w in writes})

    def outstanding(self) -> bool:
        """Return True when some entry awaits repair."""
        return bool(self._execute(lambda conn: conn.execute(ANY_DEBT).fetchone()))

    def count(self) -> int:
        """Return how many entries await repair."""
        row = self._execute(lambda conn: conn.execute(COUNT).fetchone())
        return int(row[0]) if row else 0

    def repay(self, store: VersionedStore) -> int:
        """Invalidate every entry in debt (Redis must answer); return how many were repaid."""
        repaid = 0
        while True:
            rows = self._execute(lambda conn: conn.execute(PAGE, (self.page,)).fetchall())
            if not rows:
                return repaid
            store.write_many([CacheWrite(str(k), str(f), Mode.DROP, int(v)) for k, f, v in rows])
            self._execute(partial(_delete_paid, rows=rows))
            repaid += len(rows)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _execute(self, statement: Callable[[psycopg.Connection[Any]], Any]) -> Any:
        with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()
            try:
                return statement(self._conn)
            except psycopg.Error:
                self._conn.close()  # the next call reconnects (a restarted server)
                self._conn = None
                raise


def _delete_paid(conn: psycopg.Connection[Any], rows: list[Any]) -> None:
    """Delete the repaid rows whose version is still the one repaid."""
    conn.execute(PAID, [list(column) for column in zip(*rows, strict=True)])
