"""The bridge lease: one bridge of a ``bridge_id`` publishes at a time, the others stand by.

The lease is one item in the checkpoints table (``bridge-lease#<bridge_id>``): holder,
token, expiry (wall-clock ms). A bridge takes it with a conditional PutItem when it
is absent, expired or already its own; each taking raises the token, which fences
the checkpoints (``checkpoints.DynamoDBCheckpointStore``): a bridge that lost the
lease while paused can no longer write one. The holder renews well before expiry;
it counts its own hold from before the request that gave it, shortened by a margin,
so it stops publishing before anyone else may take over. Standbys note themselves
in the item (``standby:<owner>`` = last seen), which is all ``zaiko stack status``
needs to show them: one GetItem.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from connectors.bridge.lease_item import (
    LeaseView,
    acquire_condition,
    gone_from_this_host,
    lease_key,
    standby_attribute,
    view_of,
)
from connectors.bridge.ports import LeaseLostError

log = logging.getLogger("zaiko.bridge")


class DynamoDBLease:
    """One bridge instance's hold on its lease item (thread-safe: a keeper thread renews)."""

    def __init__(
        self, client: Any, table: str, bridge_id: str, owner: str, ttl_s: float,
        clock: Callable[[], float] = time.time, monotonic: Callable[[], float] = time.monotonic,
        dead_lettered: Callable[[], int] = lambda: 0,
    ) -> None:  # fmt: skip
        self.owner = owner
        self._client = client
        self._table = table
        self._key = lease_key(bridge_id)
        self._ttl_ms = int(ttl_s * 1000)
        # covers clock skew between hosts and a request's own time
        self._margin_s = ttl_s / 4
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._token: int | None = None
        self._valid_until = 0.0
        self.view: LeaseView | None = None
        # the holder's dead-letter count, written with each renewal for `zaiko stack status`
        self._dead_lettered = dead_lettered

    @property
    def token(self) -> int | None:
        """Return the token of our hold, or None when we do not hold the lease."""
        with self._lock:
            return self._token if self._monotonic() < self._valid_until else None

    def held(self) -> bool:
        """Tell whether we hold the lease (by our own, conservative, clock)."""
        return self.token is not None

    def fence(self) -> int:
        """Return our token; raise ``LeaseLostError`` when we no longer hold the lease."""
        token = self.token
        if token is None:
            raise LeaseLostError(f"{self.owner} no longer holds the lease")
        return token

    def try_acquire(self) -> bool:
        """Take the lease if it is absent, expired, ours or its holder's process ended here;
        else note us as a standby."""
        started = self._monotonic()
        now_ms = int(self._clock() * 1000)
        current = self._read()
        gone = False
        if current is not None and current.holder != self.owner and current.held_at(now_ms):
            gone = gone_from_this_host(current.holder)
            if not gone:
                self._announce_standby(now_ms)
                return False
        # wall-clock based, so tokens keep rising even if the checkpoints table is re-created
        token = max(current.token + 1 if current else 1, now_ms)
        item = {
            **self._key,
            "holder": {"S": self.owner},
            "token": {"N": str(token)},
            "expires_at_ms": {"N": str(now_ms + self._ttl_ms)},
            "acquired_at_ms": {"N": str(now_ms)},
            "dead_lettered": {"N": str(self._dead_lettered())},
        }
        try:
            self._client.put_item(
                TableName=self._table,
                Item=item,
                **acquire_condition(current, self.owner, now_ms, holder_gone=gone),
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False  # another bridge was quicker
        with self._lock:
            self._token = token
            self._valid_until = started + self._ttl_ms / 1000 - self._margin_s
            self.view = view_of(item)
        previous = current.holder if current else None
        log.info("bridge lease acquired", extra={"owner": self.owner, "token": token,
                                                 "previous_holder": previous})  # fmt: skip
        return True

    def renew(self) -> bool:
        """Extend our hold; return False (and forget it) when another bridge has it now."""
        token = self.token
        if token is None:
            return False
        started = self._monotonic()
        now_ms = int(self._clock() * 1000)
        stale = [o for o, seen in (self.view.standbys if self.view else {}).items()
                 if seen < now_ms - 3 * self._ttl_ms]  # fmt: skip
        names = {"#t": "token", **{f"#s{i}": standby_attribute(o) for i, o in enumerate(stale)}}
        remove = (" REMOVE " + ", ".join(f"#s{i}" for i in range(len(stale)))) if stale else ""
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=self._key,
                UpdateExpression="SET expires_at_ms = :exp, renewed_at_ms = :now,"
                " dead_lettered = :dl" + remove,
                ConditionExpression="holder = :me AND #t = :tok",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={
                    ":exp": {"N": str(now_ms + self._ttl_ms)},
                    ":now": {"N": str(now_ms)},
                    ":dl": {"N": str(self._dead_lettered())},
                    ":me": {"S": self.owner},
                    ":tok": {"N": str(token)},
                },
                ReturnValues="ALL_NEW",
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            self.forget()
            log.warning("bridge lease lost to another bridge", extra={"owner": self.owner})
            return False
        with self._lock:
            if self._token == token:
                self._valid_until = started + self._ttl_ms / 1000 - self._margin_s
            self.view = view_of(response["Attributes"])
        return True

    def release(self) -> None:
        """Give the lease up (a clean stop): a standby takes it on its next try."""
        token = self.token
        self.forget()
        if token is None:
            return
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._key,
                UpdateExpression="SET expires_at_ms = :zero",
                ConditionExpression="holder = :me AND #t = :tok",
                ExpressionAttributeNames={"#t": "token"},
                ExpressionAttributeValues={
                    ":zero": {"N": "0"},
                    ":me": {"S": self.owner},
                    ":tok": {"N": str(token)},
                },
            )
        except Exception:  # it expires anyway
            log.warning("could not release the bridge lease", exc_info=True)

    def forget(self) -> None:
        """Stop counting on our hold (after a fenced write or a lost renewal)."""
        with self._lock:
            self._token = None
            self._valid_until = 0.0

    def _read(self) -> LeaseView | None:
        item = self._client.get_item(TableName=self._table, Key=self._key, ConsistentRead=True).get(
            "Item"
        )
        self.view = None if item is None else view_of(item)
        return self.view

    def _announce_standby(self, now_ms: int) -> None:
        # the item may just have gone away: then the next try takes the lease
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._client.update_item(
                TableName=self._table,
                Key=self._key,
                UpdateExpression="SET #me = :now",
                ConditionExpression="attribute_exists(checkpoint_id)",
                ExpressionAttributeNames={"#me": standby_attribute(self.owner)},
                ExpressionAttributeValues={":now": {"N": str(now_ms)}},
            )
