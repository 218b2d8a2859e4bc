"""What a resolver can reach during one request (``info.context``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from query_gateway.cache import MasterCache
from query_gateway.consistency import Consistency
from query_gateway.db import Database
from query_gateway.loaders import Loaders
from query_gateway.pagination import checked_page_size
from query_gateway.positions import PositionPoller
from query_gateway.settings import QueryGatewaySettings


@dataclass
class RequestContext:
    """Per-request state: loaders (with their memo), awaited consistency tokens."""

    db: Database
    cache: MasterCache
    settings: QueryGatewaySettings
    positions: PositionPoller
    min_versions: dict[str, int] = field(default_factory=dict)
    loaders: Loaders = field(init=False)
    consistency: Consistency = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.cache, self.min_versions)
        settings = self.settings
        self.consistency = Consistency(
            self.positions, settings.read_your_writes_timeout_s, settings.max_consistency_tokens
        )

    async def ensure_consistent(self, token: str | None) -> None:
        """Wait (once per token and request) until the read model reflects the token."""
        if token is None:
            return
        reached = await self.consistency.wait(token)
        # Cached master entries older than the token's version are misses from now on.
        aggregate_id = reached.aggregate_id
        self.min_versions[aggregate_id] = max(
            self.min_versions.get(aggregate_id, 0), reached.version
        )

    def page_size(self, first: int | None) -> int:
        """Return the page size asked for, checked against the cap."""
        return checked_page_size(first, self.settings)

    @staticmethod
    def value(enum_or_value: Any) -> Any:
        """Return an enum argument's stored (Japanese) value; graphene passes members."""
        return getattr(enum_or_value, "value", enum_or_value)
