"""What a resolver can reach during one request (``info.context``)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from query_gateway.cache import MasterCache
from query_gateway.consistency import parse_token, wait_until_applied
from query_gateway.db import Database
from query_gateway.loaders import Loaders
from query_gateway.pagination import checked_page_size
from query_gateway.settings import QueryGatewaySettings


@dataclass
class RequestContext:
    """Per-request state: loaders (with their memo), awaited consistency tokens."""

    db: Database
    cache: MasterCache
    settings: QueryGatewaySettings
    min_versions: dict[str, int] = field(default_factory=dict)
    _waits: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.cache, self.min_versions)

    async def ensure_consistent(self, token: str | None) -> None:
        """Wait (once per token and request) until the read model reflects the token."""
        if token is None:
            return
        aggregate_id, version = parse_token(token)
        wait = self._waits.get(token)
        if wait is None:
            timeout = self.settings.read_your_writes_timeout_s
            wait = asyncio.ensure_future(
                wait_until_applied(self.db, aggregate_id, version, timeout)
            )
            self._waits[token] = wait
        await asyncio.shield(wait)
        # Cached master entries older than the token's version are misses from now on.
        self.min_versions[aggregate_id] = max(self.min_versions.get(aggregate_id, 0), version)

    def page_size(self, first: int | None) -> int:
        """Return the page size asked for, checked against the cap."""
        return checked_page_size(first, self.settings)

    @staticmethod
    def value(enum_or_value: Any) -> Any:
        """Return an enum argument's stored (Japanese) value; graphene passes members."""
        return getattr(enum_or_value, "value", enum_or_value)
