"""The Redis client factory: the one place a cache client is built from settings."""

from __future__ import annotations

import redis

from connectors.settings import ZaikoSettings


def redis_client(settings: ZaikoSettings) -> redis.Redis:
    """Return a client for ``settings.effective_redis_url`` (str replies, short timeouts)."""
    return redis.Redis.from_url(
        settings.effective_redis_url,
        decode_responses=True,
        socket_timeout=5,
        socket_connect_timeout=5,
        health_check_interval=30,
    )
