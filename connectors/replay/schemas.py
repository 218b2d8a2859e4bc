"""The shadow schema a replay builds into, and the one-transaction swap with the live one.

A replay never writes to the live schema: it creates ``<live>_shadow`` (dropping a
leftover one), applies the same yoyo migrations into it (yoyo's ``schema`` option sets
the search_path, so every unqualified name in the SQL files lands there and the yoyo
bookkeeping moves with the schema), and projects through connections whose search_path
is the shadow. Views and functions bind to the shadow's tables, so renaming the schema
later keeps them pointing at the right rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from connectors.postgres.conninfo import LONG, with_timeouts

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,50}$")

# Rows no event produces: operator CRUD (企業, thresholds) and the alert agent's memory of
# announced crossings. A swap copies them from the live schema so nothing is lost.
CARRIED_OVER = ("企業", "区画別在庫閾値", "低在庫アラート状態")


def checked(name: str) -> str:
    """Return ``name`` if it is a plain lower-case identifier (yoyo does not quote it)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"schema name {name!r} must match {_IDENTIFIER.pattern}")
    return name


def shadow_name(live: str) -> str:
    """Return the shadow schema's name for a live schema."""
    return checked(f"{live}_shadow")


def backup_name(live: str, now: dt.datetime | None = None) -> str:
    """Return the name the old live schema keeps after a swap."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d%H%M%S")
    return checked(f"{live}_backup_{stamp}")


def with_query(url: str, **params: str) -> str:
    """Return ``url`` with extra query parameters (kept or replaced)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | params
    return urlunsplit(parts._replace(query=urlencode(query)))


def connect_in(database_url: str, schema: str) -> psycopg.Connection[Any]:
    """Open an autocommit connection whose unqualified names resolve in ``schema``."""
    options = f"-c search_path={checked(schema)}"
    return psycopg.connect(with_timeouts(database_url, LONG, options), autocommit=True)


def create_shadow(database_url: str, live: str = "public") -> str:
    """Create an empty, fully migrated shadow schema (dropping a leftover); return its name."""
    from compose.migrate import apply_migrations

    shadow = shadow_name(live)
    with psycopg.connect(with_timeouts(database_url, LONG), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(shadow)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(shadow)))
    with contextlib.redirect_stdout(io.StringIO()):  # yoyo prints the result of each SELECT
        apply_migrations(with_query(database_url, schema=shadow))
    return shadow


def drop_schema(database_url: str, schema: str) -> None:
    """Drop ``schema`` and everything in it."""
    with psycopg.connect(with_timeouts(database_url, LONG), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


class LiveMovedOnError(Exception):
    """The live model applied events the shadow lacks; swapping would lose them."""


AHEAD = """
SELECT l.集約ID, l.適用済シーケンス番号, coalesce(s.適用済シーケンス番号, 0)
FROM {live}.投影位置 l LEFT JOIN {shadow}.投影位置 s USING (集約ID)
WHERE l.適用済シーケンス番号 > coalesce(s.適用済シーケンス番号, 0)
ORDER BY 1 LIMIT 5
"""


def swap(database_url: str, shadow: str, live: str = "public", keep_backup: bool = True) -> str:
    """Make ``shadow`` the live schema in one transaction; return the backup's name ('' if dropped).

    The live 投影位置 is locked first: a projector's transaction starts by locking its
    rows there, so in-flight ones finish before the swap and later ones wait and then
    resolve their (unqualified) names in the new schema. Refused when the live model
    holds events the shadow does not (it moved on while the replay ran).
    """
    backup = backup_name(live)
    ids = {"live": sql.Identifier(live), "shadow": sql.Identifier(shadow)}
    with psycopg.connect(with_timeouts(database_url, LONG)) as conn, conn.transaction():
        conn.execute(sql.SQL("LOCK TABLE {live}.投影位置 IN EXCLUSIVE MODE").format(**ids))
        ahead = conn.execute(sql.SQL(AHEAD).format(**ids)).fetchall()
        if ahead:
            raise LiveMovedOnError(
                "the live model is ahead of the shadow for "
                + ", ".join(f"{a} ({live_seq} > {shadow_seq})" for a, live_seq, shadow_seq in ahead)
            )
        for table in CARRIED_OVER:
            name = {"table": sql.Identifier(table), **ids}
            conn.execute(sql.SQL("LOCK TABLE {live}.{table} IN EXCLUSIVE MODE").format(**name))
            conn.execute(sql.SQL("DELETE FROM {shadow}.{table}").format(**name))
            conn.execute(
                sql.SQL("INSERT INTO {shadow}.{table} SELECT * FROM {live}.{table}").format(**name)
            )
        rename = "ALTER SCHEMA {} RENAME TO {}"
        conn.execute(sql.SQL(rename).format(sql.Identifier(live), sql.Identifier(backup)))
        conn.execute(sql.SQL(rename).format(sql.Identifier(shadow), sql.Identifier(live)))
    if keep_backup:
        return backup
    drop_schema(database_url, backup)
    return ""
