"""Every PostgreSQL connection the project opens goes through ``with_timeouts``.

A connection without a connect timeout or a statement timeout hangs its caller for
good when the server stops answering; this reads the source, so a new call site that
forgets it fails here rather than in a paused-database fault.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("bench", "command_gateway", "compose", "connectors", "query_gateway", "simulation",
            "streams")  # fmt: skip
OPENERS = {"connect", "ConnectionPool", "AsyncConnectionPool"}
# attributes that hold a conninfo already built with with_timeouts where they are set
WRAPPED_ATTRIBUTES = {("query_gateway/positions.py", "conninfo")}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _wraps(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Call) and _name(n.func) == "with_timeouts" for n in ast.walk(node))


def _opens_postgres(call: ast.Call) -> bool:
    name = _name(call.func)
    if name in ("ConnectionPool", "AsyncConnectionPool"):
        return True
    if name != "connect" or not isinstance(call.func, ast.Attribute):
        return False
    return _name(call.func.value) in ("psycopg", "AsyncConnection", "Connection")


def _assigned_wrapped(scope: ast.AST, variable: str) -> bool:
    return any(
        isinstance(n, ast.Assign)
        and _wraps(n.value)
        and any(getattr(t, "id", None) == variable for t in n.targets)
        for n in ast.walk(scope)
    )


def _conninfo(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in ("conninfo", "url")), None)


def _wrapped(conninfo: ast.expr | None, scope: ast.AST, relative: str) -> bool:
    if conninfo is None:
        return False
    if isinstance(conninfo, ast.Name):
        return _assigned_wrapped(scope, conninfo.id)
    if isinstance(conninfo, ast.Attribute):
        return (relative, conninfo.attr) in WRAPPED_ATTRIBUTES
    return _wraps(conninfo)


def _offences(source: str, relative: str) -> list[str]:
    """Return ``file:line`` of each connection ``source`` opens without ``with_timeouts``."""
    found = []
    for scope in ast.walk(ast.parse(source)):
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            calls = [c for c in ast.walk(scope) if isinstance(c, ast.Call) and _opens_postgres(c)]
            found += [f"{relative}:{c.lineno}" for c in calls
                      if not _wrapped(_conninfo(c), scope, relative)]  # fmt: skip
    return sorted(set(found))


def test_every_postgres_connection_is_opened_with_timeouts() -> None:
    files = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    assert len(files) > 100
    offences = [
        o
        for path in files
        for o in _offences(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    ]
    assert offences == []


def test_the_check_finds_a_bare_connect_and_passes_a_wrapped_one() -> None:
    source = (
        "import psycopg\n"
        "def bare(url):\n    return psycopg.connect(url, autocommit=True)\n"
        "def wrapped(url):\n    url = with_timeouts(url)\n    return psycopg.connect(url)\n"
        "def pool(url):\n    return AsyncConnectionPool(url, min_size=0)\n"
    )
    assert _offences(source, "x.py") == ["x.py:3", "x.py:8"]
