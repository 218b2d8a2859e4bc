"""The Redis cache: versioned entries that an older event can never overwrite."""

from __future__ import annotations

from connectors.redis.client import redis_client
from connectors.redis.projector import CacheProjector, CacheStats
from connectors.redis.reader import CacheReader
from connectors.redis.versioned import CacheWrite, Mode, Outcome, Versioned, VersionedStore

__all__ = [
    "CacheProjector",
    "CacheReader",
    "CacheStats",
    "CacheWrite",
    "Mode",
    "Outcome",
    "Versioned",
    "VersionedStore",
    "redis_client",
]
