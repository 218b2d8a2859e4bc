"""The operations page's hub: its feed, its streams, and the figures it re-sends."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from query_gateway.ops.hub import MAX_STREAMS, QUEUE_SIZE, OpsHub


def item(n: int, at: str) -> dict[str, Any]:
    return {"type": "alert", "id": f"A-{n}", "occurred_at": at}


def events(queue: asyncio.Queue[str | None]) -> list[tuple[str, Any]]:
    found = []
    while not queue.empty():
        text = queue.get_nowait()
        assert text is not None
        name, data = text.split("\n")[:2]
        found.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return found


def test_the_feed_keeps_the_newest_items_once_each_whatever_their_arrival_order() -> None:
    async def scenario() -> None:
        hub = OpsHub(feed_size=2)
        stream = hub.subscribe()
        for n, at in [(1, "2026-01-01T00:00:03"), (2, "2026-01-01T00:00:01"),
                      (1, "2026-01-01T00:00:03"), (3, "2026-01-01T00:00:02")]:  # fmt: skip
            hub.add_feed_item(item(n, at))
        assert [i["id"] for i in hub.feed_items()] == ["A-1", "A-3"]
        assert [data["id"] for _, data in events(stream)] == ["A-1", "A-2", "A-3"]

    asyncio.run(scenario())


def test_read_model_figures_are_sent_only_when_they_change_and_kept_when_a_poll_fails() -> None:
    async def scenario() -> None:
        hub = OpsHub(feed_size=10)
        stream = hub.subscribe()
        figures = {"zones": [{"区画番号": "01", "現在庫数": 5}], "parked": None, "error": None}
        hub.set_readmodel(figures, 1)
        hub.set_readmodel(dict(figures), 2)  # same figures, later: nothing to send
        hub.set_readmodel({"error": "OperationalError: down"}, 3)
        sent = events(stream)
        assert [name for name, _ in sent] == ["readmodel", "readmodel"]
        assert sent[1][1]["zones"] == figures["zones"] and sent[1][1]["error"].startswith("Oper")

    asyncio.run(scenario())


def test_a_stream_that_does_not_read_is_ended_and_the_others_keep_theirs() -> None:
    async def scenario() -> None:
        hub = OpsHub(feed_size=10)
        stalled, reading = hub.subscribe(), hub.subscribe()
        for n in range(QUEUE_SIZE + 1):
            hub.publish("metrics", {"n": n})
            if n % 10 == 0:
                events(reading)
        assert stalled not in hub.streams and reading in hub.streams
        assert stalled.get_nowait() is None  # its reader ends the response

    asyncio.run(scenario())


def test_the_number_of_open_pages_is_bounded_and_a_closed_one_frees_its_place() -> None:
    async def scenario() -> None:
        hub = OpsHub(feed_size=10)
        queues = [hub.subscribe() for _ in range(MAX_STREAMS)]
        assert hub.full()
        hub.unsubscribe(queues[0])
        assert not hub.full()

    asyncio.run(scenario())
