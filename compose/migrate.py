"""Apply the numbered SQL migrations in ``sql/migrations`` with yoyo-migrations."""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "sql" / "migrations"


def migrations_dir() -> Path:
    """Return the migrations folder (ZAIKO_MIGRATIONS_DIR overrides the repo's)."""
    return Path(os.environ.get("ZAIKO_MIGRATIONS_DIR", MIGRATIONS_DIR))


def yoyo_url(database_url: str) -> str:
    """Return the database URL in yoyo's form for the psycopg 3 driver."""
    scheme, _, rest = database_url.partition("://")
    if scheme in {"postgres", "postgresql", "postgresql+psycopg"}:
        return f"postgresql+psycopg://{rest}"
    return database_url


def _quiet_yoyo() -> None:
    # yoyo asks platformdirs for a runtime dir it never uses; headless hosts have none.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def apply_migrations(database_url: str) -> list[str]:
    """Apply every pending migration under a lock; return the ids applied."""
    _quiet_yoyo()
    from yoyo import get_backend, read_migrations

    backend = get_backend(yoyo_url(database_url))
    migrations = read_migrations(str(migrations_dir()))
    with backend.lock(), contextlib.redirect_stdout(io.StringIO()):  # yoyo prints SELECTs
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return [m.id for m in pending]


def pending_migrations(database_url: str) -> list[str]:
    """Return the ids of migrations not applied yet."""
    _quiet_yoyo()
    from yoyo import get_backend, read_migrations

    backend = get_backend(yoyo_url(database_url))
    return [m.id for m in backend.to_apply(read_migrations(str(migrations_dir())))]
