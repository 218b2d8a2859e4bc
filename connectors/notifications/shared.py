"""What instances of one service share in Redis: an evaluator lease, observations, states.

Cost: every hash is bounded by what exists now (instances × subjects, warehouses,
inventories with an open 引当失敗), never by history; a round reads each hash once.
"""

from __future__ import annotations

import json
from typing import Any

import redis

# Take the lease if free, or renew it if ours: one round trip, no race between the two.
_LEAD = """
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""
# A last-seen time only moves forward, whichever instance writes last.
_TOUCH = """
for i = 1, #ARGV, 2 do
  local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if tonumber(ARGV[i + 1]) > current then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1
"""


def notification_client(url: str, timeout_s: float = 0.5) -> redis.Redis:
    """Return a Redis client with short timeouts: a notification must never stall a batch."""
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=timeout_s,
                                socket_connect_timeout=timeout_s)  # fmt: skip


class SharedState:
    """The Redis keys of one service's notifications (``service``: worker or projector)."""

    def __init__(self, client: redis.Redis, service: str, instance: str,
                 prefix: str = "zaiko:notify") -> None:  # fmt: skip
        self.client = client
        self.instance = instance
        self.leader_key = f"{prefix}:leader:{service}"
        self.observations_key = f"{prefix}:observations:{service}"
        self.delays_key = f"{prefix}:delays:{service}"
        self.last_seen_key = f"{prefix}:site:last-seen"
        self.silent_key = f"{prefix}:site:silent"
        self.allocation_key = f"{prefix}:allocation"
        self._lead = client.register_script(_LEAD)
        self._touch = client.register_script(_TOUCH)

    def lead(self, ttl_s: float) -> bool:
        """Take or renew the evaluator lease for ``ttl_s``; True while this instance holds it."""
        return bool(self._lead(keys=[self.leader_key], args=[self.instance, int(ttl_s * 1000)]))

    def report(self, values: dict[str, float], now: float) -> None:
        """Record this instance's latest observation of each subject."""
        if values:
            mapping = {f"{s}|{self.instance}": json.dumps([v, now]) for s, v in values.items()}
            self.client.hset(self.observations_key, mapping=dict(mapping))  # type: ignore[arg-type]

    def observations(self, now: float, max_age_s: float) -> dict[str, float]:
        """Return each subject's worst fresh value across instances; forget stale ones."""
        worst: dict[str, float] = {}
        stale = []
        for field, text in self._hash(self.observations_key).items():
            value, at = json.loads(text)
            if now - at > max_age_s:
                stale.append(field)
                continue
            subject = field.rsplit("|", 1)[0]
            worst[subject] = max(worst.get(subject, 0.0), float(value))
        if stale:
            self.client.hdel(self.observations_key, *stale)
        return worst

    def delays(self) -> dict[str, str]:
        """Return the tracked delay conditions (subject -> Condition JSON)."""
        return self._hash(self.delays_key)

    def save_delays(self, states: dict[str, str | None]) -> None:
        """Write conditions (None: forget the subject)."""
        gone = [s for s, v in states.items() if v is None]
        kept = {s: v for s, v in states.items() if v is not None}
        if gone:
            self.client.hdel(self.delays_key, *gone)
        if kept:
            self.client.hset(self.delays_key, mapping=kept)  # type: ignore[arg-type]

    def touch_sites(self, seen: dict[str, float]) -> None:
        """Move each warehouse's last-seen time forward (one call per batch)."""
        if seen:
            args = [x for wh, at in seen.items() for x in (wh, repr(at))]
            self._touch(keys=[self.last_seen_key], args=args)

    def sites(self) -> tuple[dict[str, float], dict[str, float]]:
        """Return last-seen times and the silent warehouses (-> last_seen of the episode)."""
        seen = {k: float(v) for k, v in self._hash(self.last_seen_key).items()}
        return seen, {k: float(v) for k, v in self._hash(self.silent_key).items()}

    def mark_silent(self, warehouse_id: str, last_seen: float | None) -> None:
        """Record a warehouse as silent since ``last_seen`` (None: it spoke again)."""
        if last_seen is None:
            self.client.hdel(self.silent_key, warehouse_id)
        else:
            self.client.hset(self.silent_key, warehouse_id, repr(last_seen))

    def allocations(self, inventory_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Return the open 引当失敗 of these inventories (one HMGET for a whole batch)."""
        if not inventory_ids:
            return {}
        texts = self.client.hmget(self.allocation_key, inventory_ids)
        return {i: json.loads(str(t)) for i, t in zip(inventory_ids, texts, strict=True) if t}

    def open_allocations(self, documents: dict[str, dict[str, Any]]) -> None:
        """Record the 引当失敗 a batch opened (one HSET for all of them)."""
        if documents:
            mapping: dict[Any, Any] = {
                i: json.dumps(d, ensure_ascii=False) for i, d in documents.items()
            }
            self.client.hset(self.allocation_key, mapping=mapping)

    def close_allocations(self, inventory_ids: list[str]) -> None:
        """Forget the 引当失敗 of inventories whose CLEARED was published."""
        if inventory_ids:
            self.client.hdel(self.allocation_key, *inventory_ids)

    def _hash(self, key: str) -> dict[str, str]:
        return self.client.hgetall(key)  # type: ignore[return-value]
