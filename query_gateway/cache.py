"""Cache-aside for master rows (商品, 倉庫, 倉庫別区画) in the projector's Redis entries.

The projector (connectors/redis) keeps ``zaiko:<kind>:<id>`` hashes whose ``state`` field
holds ``"<version>|<json>"`` (Japanese column names); ``"<version>|"`` is a tombstone. We
read those entries and fill misses with the row read from Postgres together with its
投影位置 version, through the same compare-and-set rule: a fill never replaces a newer
entry, so a slow fill racing the projector cannot revive an old row. The layout is
repeated here rather than imported because connectors.redis pulls in the domain's event
classes, and the query side reads the read model only.

Redis is an optimisation: when it fails, reads fall through to Postgres.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from query_gateway.metrics import count_cache
from query_gateway.rows import Row, jsonable

log = logging.getLogger(__name__)

STATE_FIELD = "state"
KINDS = ("product", "warehouse", "zone")

_FILL = """
local cur = redis.call('HGET', KEYS[1], 'state')
local version = tonumber(ARGV[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  local cur_v, cur_d = tonumber(string.sub(cur, 1, sep - 1)), string.sub(cur, sep + 1)
  if cur_v > version or (cur_v == version and cur_d ~= '') then return 0 end
end
redis.call('HSET', KEYS[1], 'state', ARGV[1] .. '|' .. ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
"""


class MasterCache:
    """Reads and fills versioned master entries; disabled when ``client`` is None."""

    def __init__(self, client: aioredis.Redis | None, ttl_s: int, prefix: str = "zaiko") -> None:
        self.client = client if ttl_s > 0 else None
        self.ttl_s = ttl_s
        self.prefix = prefix
        self._fill = client.register_script(_FILL) if client is not None else None

    def key(self, kind: str, entity_id: str) -> str:
        """Return the projector's key of one entry."""
        return f"{self.prefix}:{kind}:{entity_id}"

    async def get_many(
        self, kind: str, ids: Iterable[str], min_versions: Mapping[str, int]
    ) -> dict[str, Row]:
        """Return id -> cached row for the hits at or above ``min_versions`` (one round trip)."""
        if self.client is None:
            return {}
        wanted = list(ids)
        try:
            pipe = self.client.pipeline(transaction=False)
            for entity_id in wanted:
                pipe.hget(self.key(kind, entity_id), STATE_FIELD)
            raw = await pipe.execute()
        except RedisError as exc:
            log.warning("cache read failed, reading Postgres: %s", exc)
            count_cache(kind, 0, len(wanted))
            return {}
        hits: dict[str, Row] = {}
        for entity_id, text in zip(wanted, raw, strict=True):
            if not text:
                continue
            version, _, data = text.partition("|")
            if data and int(version) >= min_versions.get(entity_id, 0):
                hits[entity_id] = json.loads(data)
        count_cache(kind, len(hits), len(wanted) - len(hits))
        return hits

    async def fill_many(self, kind: str, rows: Mapping[str, tuple[int, Row]]) -> None:
        """Store rows read from Postgres at their versions, unless newer ones are cached."""
        if self.client is None or self._fill is None or not rows:
            return
        try:
            pipe = self.client.pipeline(transaction=False)
            for entity_id, (version, row) in rows.items():
                payload = json.dumps({k: jsonable(v) for k, v in row.items()}, ensure_ascii=False)
                args: list[str | int] = [version, payload, self.ttl_s]
                await self._fill(keys=[self.key(kind, entity_id)], args=args, client=pipe)
            await pipe.execute()
        except RedisError as exc:
            log.warning("cache fill failed (entries stay cold): %s", exc)

    async def flush(self) -> int:
        """Delete every master entry (the bench's cold runs); return how many."""
        if self.client is None:
            return 0
        deleted = 0
        for kind in KINDS:
            keys = [k async for k in self.client.scan_iter(match=f"{self.prefix}:{kind}:*")]
            if keys:
                deleted += int(await self.client.delete(*keys))
        return deleted

    async def ping(self) -> None:
        """Raise unless Redis answers PING."""
        if self.client is not None:
            await self.client.ping()
