"""Scrape every service's /metrics every few seconds into a ring buffer of page points.

Cost: one GET per endpoint per interval (in threads, each bounded by ``timeout_s``),
and a history of ``history_s / interval_s`` samples and points whatever the uptime.
An endpoint that does not answer is listed as down with its error; the others count.
"""

from __future__ import annotations

import asyncio
import logging
import time
import urllib.request
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from query_gateway.ops.figures import Sample, parse, point

log = logging.getLogger(__name__)
LATENCY_WINDOW_S = 30.0  # the p50/p99 shown are over the last half minute


def fetch(url: str, timeout_s: float) -> str:
    """Return the exposition text ``url`` serves (raises on any failure)."""
    with urllib.request.urlopen(url, timeout=timeout_s) as response:
        text: str = response.read().decode("utf-8")
        return text


class MetricsHistory:
    """The last ``size`` samples and the points derived from them."""

    def __init__(self, size: int) -> None:
        self.samples: deque[Sample] = deque(maxlen=size)
        self.points: deque[dict[str, Any]] = deque(maxlen=size)
        self.endpoints: list[dict[str, Any]] = []

    def add(self, sample: Sample, endpoints: list[dict[str, Any]]) -> dict[str, Any]:
        """Record one scrape; return its point."""
        previous = self.samples[-1] if self.samples else None
        start = next((s for s in self.samples if s.at >= sample.at - LATENCY_WINDOW_S), previous)
        new = point(sample, previous, start)
        self.samples.append(sample)
        self.points.append(new)
        self.endpoints = endpoints
        return new

    def snapshot(self) -> dict[str, Any]:
        """Return the points and the endpoints' state, JSON-ready."""
        return {"points": list(self.points), "endpoints": self.endpoints}


class Scraper:
    """Scrapes ``urls`` every ``interval_s`` and hands each point to ``on_point``."""

    def __init__(
        self,
        urls: Sequence[str],
        interval_s: float,
        history_s: float,
        on_point: Callable[[dict[str, Any]], Awaitable[None]],
        timeout_s: float = 1.5,
    ) -> None:
        self.urls = list(urls)
        self.interval_s = interval_s
        self.timeout_s = min(timeout_s, interval_s)
        self.history = MetricsHistory(max(2, round(history_s / interval_s)))
        self.on_point = on_point

    async def scrape(self) -> dict[str, Any]:
        """Scrape every endpoint once; return the point it adds to the history."""
        at = time.time()
        answers = await asyncio.gather(
            *(asyncio.to_thread(fetch, url, self.timeout_s) for url in self.urls),
            return_exceptions=True,
        )
        texts, endpoints = [], []
        for url, answer in zip(self.urls, answers, strict=True):
            if isinstance(answer, BaseException):
                endpoints.append({"url": url, "up": False, "error": _reason(answer)})
            else:
                texts.append(answer)
                endpoints.append({"url": url, "up": True, "error": None})
        try:
            sample = parse(at, texts)
        except ValueError as exc:  # one endpoint served something that is not metrics
            log.warning("unparseable metrics: %s", exc)
            sample = Sample(at)
        return self.history.add(sample, endpoints)

    async def run(self) -> None:
        """Scrape until cancelled, one scrape per interval."""
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            try:
                new = await self.scrape()
                await self.on_point({"point": new, "endpoints": self.history.endpoints})
            except Exception:
                log.exception("metrics scrape failed")
            await asyncio.sleep(max(0.0, self.interval_s - (loop.time() - started)))


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "reason", "") or exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:200]
