"""Bound a call to a store on the caller's side, without waiting for its cleanup.

``asyncio.wait_for`` and ``asyncio.timeout`` wait for the cancelled call to finish, and
psycopg answers a cancellation by asking the server to cancel the statement (up to 5 s)
and then reading its answer (5 s more): against a paused server a request would hang
10 s past its bound. ``within`` raises TimeoutError at the bound and lets the cancelled
call clean up in the background (its pooled connection is discarded when it returns).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
_cleaning: set[asyncio.Task[object]] = set()  # cancelled calls still finishing


async def within(call: Awaitable[T], timeout_s: float) -> T:
    """Return the result of ``call``; raise TimeoutError after ``timeout_s``."""
    task: asyncio.Task[T] = asyncio.ensure_future(call)
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout_s)
    except asyncio.CancelledError:  # the caller itself was cancelled: so is the call
        task.cancel()
        raise
    if task in done:
        return task.result()
    task.cancel()
    _cleaning.add(task)
    task.add_done_callback(_forget)
    raise TimeoutError(f"no answer within {timeout_s:g} s")


def _forget(task: asyncio.Task[object]) -> None:
    _cleaning.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.debug("a call abandoned at its bound failed: %r", task.exception())
