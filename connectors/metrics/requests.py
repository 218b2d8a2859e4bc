"""DynamoDB requests a run cost: every process's counters scraped before and after it.

Each process counts its own calls in ``zaiko_dynamodb_requests_total{operation,outcome}``
(connectors/dynamodb/metrics.py) and serves them on /metrics; the process running the
measurement reads its own registry. The difference of two scrapes is what the run made
the event store serve, split by process, operation and outcome.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families

REQUESTS = "zaiko_dynamodb_requests_total"
Key = tuple[str, str, str]  # process, operation, outcome


@dataclass(frozen=True)
class Scrape:
    """The request counters of every process that answered, at one moment."""

    at: float  # time.monotonic()
    counts: Mapping[Key, float]
    silent: tuple[str, ...] = ()  # processes whose endpoint did not answer


@dataclass(frozen=True)
class Usage:
    """The requests made between two scrapes, by (process, operation, outcome)."""

    counts: Mapping[Key, float]
    seconds: float
    silent: tuple[str, ...] = ()

    def by_operation(self) -> dict[str, float]:
        """Return the requests per operation, all processes and outcomes together."""
        totals: dict[str, float] = {}
        for (_, operation, _), n in self.counts.items():
            totals[operation] = totals.get(operation, 0.0) + n
        return totals

    def per_command(self, accepted: int) -> dict[str, float]:
        """Return the requests per operation divided by ``accepted`` commands (0: none)."""
        return {op: n / accepted if accepted else 0.0 for op, n in self.by_operation().items()}


def parse(process: str, text: str) -> dict[Key, float]:
    """Return the request counters a Prometheus exposition ``text`` holds."""
    counts: dict[Key, float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == REQUESTS:
                key = (process, s.labels.get("operation", "?"), s.labels.get("outcome", "?"))
                counts[key] = counts.get(key, 0.0) + s.value
    return counts


def scrape(
    endpoints: Mapping[str, str], local: str | None = None, timeout_s: float = 3.0
) -> Scrape:
    """Scrape ``endpoints`` (process name -> /metrics URL) and, as ``local``, this process."""
    counts: dict[Key, float] = {}
    silent = []
    for process, url in endpoints.items():
        try:
            with urllib.request.urlopen(url, timeout=timeout_s) as response:
                counts.update(parse(process, response.read().decode()))
        except OSError:
            silent.append(process)
    if local:
        counts.update(parse(local, generate_latest(REGISTRY).decode()))
    return Scrape(time.monotonic(), counts, tuple(silent))


def usage(before: Scrape, after: Scrape) -> Usage:
    """Return what happened between two scrapes (a counter that fell restarted: its value)."""
    counts: dict[Key, float] = {}
    for key, now in after.counts.items():
        then = before.counts.get(key, 0.0)
        n = now - then if now >= then else now
        if n > 0:
            counts[key] = n
    silent = tuple(dict.fromkeys((*before.silent, *after.silent)))
    return Usage(counts, after.at - before.at, silent)


@dataclass
class RequestMeter:
    """Scrape at ``start`` and at ``stop``; ``stop`` returns the run's ``Usage``."""

    endpoints: Mapping[str, str]
    local: str | None = None
    before: Scrape | None = field(default=None, init=False)

    def start(self) -> None:
        self.before = scrape(self.endpoints, self.local)

    def stop(self) -> Usage:
        """Return the requests since ``start``."""
        if self.before is None:
            raise RuntimeError("RequestMeter.stop() before start()")
        return usage(self.before, scrape(self.endpoints, self.local))
