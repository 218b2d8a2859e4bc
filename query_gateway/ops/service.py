"""The page's background work, started and stopped by the Query API's lifespan.

Three tasks: the read model poll (async, on a one-connection pool of its own, each
statement bounded), the metrics scrape (blocking GETs in threads, bounded), and the
feed reader (a thread with its own Kafka consumer). None blocks the event loop;
``stop`` ends all.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from query_gateway.db import Database
from query_gateway.ops.feed import FeedReader
from query_gateway.ops.hub import OpsHub
from query_gateway.ops.readmodel import read_all
from query_gateway.ops.scraper import Scraper
from query_gateway.settings import QueryGatewaySettings


class OpsService:
    """Keeps the hub current while the app runs."""

    def __init__(self, settings: QueryGatewaySettings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.hub = OpsHub(settings.ops_feed_size)
        urls = [u.strip() for u in settings.ops_metrics_urls.split(",") if u.strip()]
        self.scraper = Scraper(
            urls, settings.ops_scrape_interval_s, settings.ops_history_s, self._on_point
        )
        self.tasks: list[asyncio.Task[None]] = []
        self.feed: FeedReader | None = None

    async def start(self) -> None:
        """Open the page's pool; start the poll, the scrape and the feed reader."""
        await self.db.open()
        loop = asyncio.get_running_loop()
        self.tasks = [loop.create_task(self._poll_readmodel(), name="ops-readmodel"),
                      loop.create_task(self.scraper.run(), name="ops-metrics")]  # fmt: skip

        def deliver(item: dict[str, Any]) -> None:
            loop.call_soon_threadsafe(self.hub.add_feed_item, item)

        self.feed = FeedReader(
            self.settings.kafka_bootstrap_servers, deliver, self.settings.ops_feed_size
        )
        self.feed.start()

    async def stop(self) -> None:
        """End every stream and task; wait for the feed reader to close its consumer."""
        self.hub.close_all()
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.feed is not None:
            self.feed.stop()
            await asyncio.to_thread(self.feed.join, 15.0)
        await self.db.close()

    async def _poll_readmodel(self) -> None:
        while True:
            started = time.monotonic()
            figures = await read_all(self.db)
            self.hub.set_readmodel(figures, round(time.time() * 1000))
            wait = self.settings.ops_readmodel_interval_s - (time.monotonic() - started)
            await asyncio.sleep(max(0.0, wait))

    async def _on_point(self, update: dict[str, Any]) -> None:
        self.hub.publish("metrics", update)

    def snapshot(self) -> dict[str, Any]:
        """Return everything the page shows, for its first load."""
        return {
            "readmodel": self.hub.readmodel,
            "metrics": self.scraper.history.snapshot(),
            "feed": self.hub.feed_items(),
            "command_api_port": self.settings.command_api_port,
            "scrape_interval_s": self.settings.ops_scrape_interval_s,
            "history_s": self.settings.ops_history_s,
        }
