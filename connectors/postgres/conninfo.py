"""Every PostgreSQL connection Zaiko opens carries a connect timeout and statement timeouts.

A server that stops answering (paused, partitioned, overloaded) must never hang a
worker for good: libpq gives up connecting after ``connect_timeout`` seconds, and the
server cancels a statement after ``statement_timeout`` and a lock wait after
``lock_timeout``, so every call returns or raises and the caller's backoff takes
over. Values the URL already sets are kept (an operator's choice wins), and a role
that runs long statements on purpose (a replay's bulk COPY) asks for a longer one.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg.conninfo import conninfo_to_dict, make_conninfo


@dataclass(frozen=True)
class Timeouts:
    """How long a connection may wait: to connect, per statement, per lock, idle in one."""

    connect_s: int = 5
    statement_ms: int = 30_000
    lock_ms: int = 10_000
    idle_in_transaction_ms: int = 60_000


DEFAULT = Timeouts()
# A health probe or a status line: an answer within seconds, or "down".
QUICK = Timeouts(connect_s=2, statement_ms=2000, lock_ms=1000, idle_in_transaction_ms=5000)
# A replay or an audit runs statements over the whole read model on purpose.
LONG = Timeouts(statement_ms=30 * 60_000, lock_ms=60_000, idle_in_transaction_ms=30 * 60_000)


def with_timeouts(url: str, timeouts: Timeouts = DEFAULT, options: str = "") -> str:
    """Return ``url`` as a conninfo string that also sets ``timeouts`` (unless it sets them).

    ``options``: more server settings (``-c name=value``) to add to the URL's own.
    """
    params = conninfo_to_dict(url)
    extra: dict[str, str | int] = {}
    if "connect_timeout" not in params:
        extra["connect_timeout"] = timeouts.connect_s
    options = " ".join(filter(None, [str(params.get("options") or ""), options]))
    wanted = {
        "statement_timeout": timeouts.statement_ms,
        "lock_timeout": timeouts.lock_ms,
        "idle_in_transaction_session_timeout": timeouts.idle_in_transaction_ms,
    }
    added = [f"-c {name}={value}" for name, value in wanted.items() if f"{name}=" not in options]
    if added or options:
        extra["options"] = " ".join([options, *added]).strip()
    return make_conninfo(url, **extra) if extra else url
