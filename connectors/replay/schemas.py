"""The shadow schema a replay builds into, and the one-transaction swap with the live one.

A replay never writes to the live schema: it creates ``<live>_shadow`` (dropping a
leftover one), applies the same yoyo migrations into it (yoyo's ``schema`` option sets
the search_path, so every unqualified name in the SQL files lands there and the yoyo
bookkeeping moves with the schema), and projects through connections whose search_path
is the shadow. Views and functions bind to the shadow's tables, so renaming the schema
later keeps them pointing at the right rows (``swap.py``).
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
