"""Read a worker's figures from its /metrics: key reads, table hits, answers, partitions."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample


def _samples(url: str) -> Iterator[Sample]:
    """Yield every sample ``url`` serves; raise OSError if it cannot be read."""
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    for family in text_string_to_metric_families(text):
        yield from family.samples


def scrape(url: str | None) -> dict[str, float]:
    """Return the worker's journal key reads and state-table hits so far ({} if unreadable)."""
    if url is None:
        return {}
    found = {"reads": 0.0, "hits": 0.0}
    try:
        for sample in _samples(url):
            if sample.name == "zaiko_dynamodb_requests_total" and sample.labels.get(
                "operation") in ("GetItem", "BatchGetItem"):  # fmt: skip
                found["reads"] += sample.value
            elif sample.name == "zaiko_state_table_reads_total" and sample.labels.get(
                "result") == "hit":  # fmt: skip
                found["hits"] += sample.value
    except OSError:
        return {}
    return found


def answered(url: str) -> int:
    """Return the command messages the worker has answered so far (``zaiko_commands_total``)."""
    return round(sum(s.value for s in _samples(url) if s.name == "zaiko_commands_total"))


def assigned(url: str, group: str, topic: str) -> frozenset[int]:
    """Return the partitions of ``topic`` the worker's consumer holds, as it last sampled them.

    The consumer-lag gauges (streams/consumer_lag.py) carry one series per partition the
    consumer holds and has fetched from, and drop a revoked one at the next sample (5 s).
    """
    return frozenset(
        int(s.labels["partition"])
        for s in _samples(url)
        if s.name == "zaiko_kafka_consumer_highwater"
        and s.labels.get("group") == group
        and s.labels.get("topic") == topic
    )
