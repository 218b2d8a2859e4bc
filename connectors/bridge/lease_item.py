"""The bridge lease's item in the checkpoints table: its key, its fields, how to read it."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import Any

import psutil

_STANDBY = "standby:"


@dataclass(frozen=True)
class LeaseView:
    """What the lease item says: who holds it, with which token, until when; who waits."""

    holder: str | None
    token: int
    expires_at_ms: int
    standbys: dict[str, int] = field(default_factory=dict)  # owner -> last seen (ms)
    dead_lettered: int = 0  # records the holder sent to dead-letter since it started

    def held_at(self, now_ms: int) -> bool:
        """Tell whether a bridge holds the lease at ``now_ms``."""
        return self.holder is not None and self.expires_at_ms > now_ms

    def waiting(self, now_ms: int, ttl_ms: int) -> list[str]:
        """Return the standbys seen within the last ``ttl_ms`` (the holder excluded)."""
        return sorted(o for o, seen in self.standbys.items()
                      if o != self.holder and seen >= now_ms - ttl_ms)  # fmt: skip


def lease_key(bridge_id: str) -> dict[str, Any]:
    """Return the key of the lease item of the bridges sharing ``bridge_id``."""
    return {"checkpoint_id": {"S": f"bridge-lease#{bridge_id}"}}


def standby_attribute(owner: str) -> str:
    """Return the attribute a standby ``owner`` notes its last try in."""
    return f"{_STANDBY}{owner}"


def view_of(item: dict[str, Any]) -> LeaseView:
    """Return the ``LeaseView`` of a lease item (DynamoDB's attribute-value form)."""
    return LeaseView(
        holder=item["holder"]["S"] if "holder" in item else None,
        token=int(item.get("token", {}).get("N", "0")),
        expires_at_ms=int(item.get("expires_at_ms", {}).get("N", "0")),
        standbys={
            name.removeprefix(_STANDBY): int(value["N"])
            for name, value in item.items()
            if name.startswith(_STANDBY)
        },
        dead_lettered=int(item.get("dead_lettered", {}).get("N", "0")),
    )


def owner_id(instance_name: str) -> str:
    """Return this process's name in the lease: ``<instance>@<host>:<pid>``."""
    return f"{instance_name or 'bridge'}@{socket.gethostname()}:{os.getpid()}"


def gone_from_this_host(holder: str | None) -> bool:
    """Tell whether ``holder`` was a process on this host that has ended (killed, crashed).

    Its lease need not be waited out: a restarted or standby bridge here takes over at once.
    """
    host, _, pid = (holder or "").rpartition("@")[2].rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        return bool(psutil.Process(int(pid)).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False


def acquire_condition(
    current: LeaseView | None, owner: str, now_ms: int, holder_gone: bool = False
) -> dict[str, Any]:
    """Return the PutItem condition that takes the lease: absent, or (as read) expired, ours,
    or held by a process that has ended.

    The token must still be the one read, so two bridges taking an expired lease at
    once cannot both succeed.
    """
    if current is None:
        return {"ConditionExpression": "attribute_not_exists(checkpoint_id)"}
    if holder_gone:
        return {
            "ConditionExpression": "#t = :read AND holder = :gone",
            "ExpressionAttributeNames": {"#t": "token"},
            "ExpressionAttributeValues": {
                ":read": {"N": str(current.token)},
                ":gone": {"S": current.holder or ""},
            },
        }
    return {
        "ConditionExpression": "#t = :read AND (expires_at_ms <= :now OR holder = :me)",
        "ExpressionAttributeNames": {"#t": "token"},
        "ExpressionAttributeValues": {
            ":read": {"N": str(current.token)},
            ":now": {"N": str(now_ms)},
            ":me": {"S": owner},
        },
    }


def read_lease(client: Any, table: str, bridge_id: str) -> LeaseView | None:
    """Return the lease of the bridges sharing ``bridge_id`` (one consistent GetItem)."""
    item = client.get_item(TableName=table, Key=lease_key(bridge_id), ConsistentRead=True).get(
        "Item"
    )
    return None if item is None else view_of(item)
