"""Versioned cache entries in Redis hash fields, compared and set atomically by one Lua script.

An entry is stored as ``"<version>|<json>"`` in a hash field; ``"<version>|"`` (no data) is a
tombstone: the value at that version is unknown, so readers miss, yet any write of an older
version is still refused. The version is the aggregate's sequence number, so an older event
(redelivered, or replayed late) can never overwrite a newer value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import redis

from connectors.redis.keys import COMPLETE_FIELD

# set:   write when the entry is older, or is a tombstone of the same version (cache-aside fill)
# patch: merge fields into the entry only if it holds exactly version - 1 (its base is known);
#        otherwise the result cannot be computed, so leave a tombstone at this version
# drop:  tombstone at this version unless the entry is newer
_SCRIPT = """
local key, field = KEYS[1], ARGV[2]
local mode, version, ttl = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[5])
local cur = redis.call('HGET', key, field)
local cur_v, cur_d = -1, ''
if cur then
  local sep = string.find(cur, '|', 1, true)
  cur_v, cur_d = tonumber(string.sub(cur, 1, sep - 1)), string.sub(cur, sep + 1)
end
local result = 'invalidated'
if mode == 'set' then
  if cur_v > version or (cur_v == version and cur_d ~= '') then return 'stale' end
  redis.call('HSET', key, field, ARGV[3] .. '|' .. ARGV[4])
  result = 'set'
elseif mode == 'patch' then
  if cur_v >= version then return 'stale' end
  if cur_v == version - 1 and cur_d ~= '' then
    local merged = cjson.decode(cur_d)
    for k, v in pairs(cjson.decode(ARGV[4])) do merged[k] = v end
    redis.call('HSET', key, field, ARGV[3] .. '|' .. cjson.encode(merged))
    result = 'patched'
  else
    redis.call('HSET', key, field, ARGV[3] .. '|')
  end
elseif mode == 'drop' then
  if cur_v > version then return 'stale' end
  redis.call('HSET', key, field, ARGV[3] .. '|')
else
  return redis.error_reply('unknown mode ' .. mode)
end
if ttl > 0 then redis.call('EXPIRE', key, ttl) end
return result
"""


class Mode(StrEnum):
    SET = "set"
    PATCH = "patch"
    DROP = "drop"


class Outcome(StrEnum):
    SET = "set"
    PATCHED = "patched"
    INVALIDATED = "invalidated"
    STALE = "stale"


@dataclass(frozen=True)
class CacheWrite:
    """One conditional write: ``payload`` is the JSON value (SET) or fields to merge (PATCH)."""

    key: str
    field: str
    mode: Mode
    version: int
    payload: str = ""


@dataclass(frozen=True)
class Versioned:
    """A cached value and the aggregate version it reflects."""

    value: dict[str, Any]
    version: int


def parse_entry(raw: str | None) -> tuple[int, str] | None:
    """Split a stored ``"<version>|<json>"`` into its parts (None when absent)."""
    if raw is None:
        return None
    version, _, data = raw.partition("|")
    return int(version), data


class VersionedStore:
    """Compare-and-set writes of versioned entries (EVALSHA, reloading on NOSCRIPT)."""

    def __init__(self, client: redis.Redis, ttl_seconds: int = 86_400) -> None:
        self.client = client
        self.ttl_seconds = ttl_seconds
        self.script = client.register_script(_SCRIPT)

    def set_if_newer(self, key: str, field: str, version: int, payload_json: str) -> Outcome:
        """Store the value unless the cached entry is newer (or the same, known value)."""
        return self.write(CacheWrite(key, field, Mode.SET, version, payload_json))

    def patch_if_next(self, key: str, field: str, version: int, fields_json: str) -> Outcome:
        """Merge fields into the entry at ``version - 1``; otherwise invalidate it."""
        return self.write(CacheWrite(key, field, Mode.PATCH, version, fields_json))

    def delete_if_not_newer(self, key: str, field: str, version: int) -> Outcome:
        """Invalidate the entry (tombstone at ``version``) unless it is newer."""
        return self.write(CacheWrite(key, field, Mode.DROP, version))

    def write(self, write: CacheWrite) -> Outcome:
        """Run one conditional write."""
        return self.write_many([write])[0]

    def write_many(
        self, writes: Sequence[CacheWrite], *, complete: str | None = None
    ) -> list[Outcome]:
        """Run conditional writes in order in one round trip.

        With ``complete`` (a hash key) they run as one MULTI/EXEC that also marks that hash
        as holding every field, so an expiry cannot fall between the writes and the mark.
        """
        if not writes:
            return []
        pipe = self.client.pipeline(transaction=complete is not None)
        for w in writes:
            args = [w.mode.value, w.field, w.version, w.payload, self.ttl_seconds]
            self.script(keys=[w.key], args=args, client=pipe)
        if complete is not None:
            pipe.hset(complete, COMPLETE_FIELD, "1")
        results = pipe.execute()[: len(writes)]
        return [Outcome(_text(result)) for result in results]

    def read(self, key: str, field: str) -> tuple[int, str] | None:
        """Return the raw (version, json) of an entry; json is empty for a tombstone."""
        raw = self.client.hget(key, field)
        return None if raw is None else parse_entry(_text(raw))

    def read_hash(self, key: str) -> dict[str, str]:
        """Return every field of a hash as text (entries and markers alike)."""
        raw: dict[Any, Any] = self.client.hgetall(key)
        return {_text(f): _text(v) for f, v in raw.items()}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
