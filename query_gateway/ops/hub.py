"""What the page shows right now, and the Server-Sent Events that keep open pages current.

Each open page has a bounded queue; a page that does not read (a stalled tab) loses its
stream when the queue is full, and the browser's EventSource reconnects and reloads
the snapshot. So a slow reader never holds memory or delays the others.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

QUEUE_SIZE = 32  # events a page may lag behind before its stream is dropped
MAX_STREAMS = 64  # open pages per gateway; more are refused (503) until one closes


def sse(event: str, data: Any) -> str:
    """Return one Server-Sent Event (``data`` as one line of JSON)."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


class OpsHub:
    """The latest read model figures, the feed's last items, and the open streams."""

    def __init__(self, feed_size: int) -> None:
        self.readmodel: dict[str, Any] = {"zones": [], "parked": None, "error": None, "at": None}
        self.feed_size = feed_size
        self.feed: list[dict[str, Any]] = []  # oldest first, at most feed_size
        self.feed_ids: set[str] = set()
        self.streams: set[asyncio.Queue[str | None]] = set()

    def full(self) -> bool:
        """Tell whether as many pages are open as one gateway serves."""
        return len(self.streams) >= MAX_STREAMS

    def subscribe(self) -> asyncio.Queue[str | None]:
        """Return a new stream's queue of encoded events (None: the stream must end)."""
        queue: asyncio.Queue[str | None] = asyncio.Queue(QUEUE_SIZE)
        self.streams.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str | None]) -> None:
        """Forget a stream (its page went away)."""
        self.streams.discard(queue)

    def publish(self, event: str, data: Any) -> None:
        """Send an event to every open stream; drop streams that fell behind."""
        text = sse(event, data)
        for queue in list(self.streams):
            try:
                queue.put_nowait(text)
            except asyncio.QueueFull:
                self.close(queue)

    def close(self, queue: asyncio.Queue[str | None]) -> None:
        """End one stream: its reader sees None next."""
        self.streams.discard(queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)

    def close_all(self) -> None:
        """End every stream (the app is stopping)."""
        for queue in list(self.streams):
            self.close(queue)

    def set_readmodel(self, figures: dict[str, Any], at_ms: int) -> None:
        """Keep the read model's figures (the last good ones when this poll failed)."""
        if figures.get("error"):
            new = {**self.readmodel, "error": figures["error"]}
        else:
            new = {**figures, "at": at_ms}
        changed = {k: v for k, v in new.items() if k != "at"} != {
            k: v for k, v in self.readmodel.items() if k != "at"
        }
        self.readmodel = new
        if changed:  # open pages re-render only when a figure moved
            self.publish("readmodel", new)

    def add_feed_item(self, item: dict[str, Any]) -> None:
        """Keep an alert or notification (once, even when redelivered) and send it."""
        if item["id"] in self.feed_ids:
            return
        # partitions arrive in any order at start-up: keep the newest by occurrence
        self.feed = sorted([*self.feed, item], key=_occurred)[-self.feed_size :]
        self.feed_ids = {i["id"] for i in self.feed}
        if item["id"] in self.feed_ids:
            self.publish("feed", item)

    def feed_items(self) -> list[dict[str, Any]]:
        """Return the kept items, newest first."""
        return self.feed[::-1]


def _occurred(item: dict[str, Any]) -> str:
    return str(item.get("occurred_at", ""))
