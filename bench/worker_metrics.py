"""Read a worker's journal key reads and state-table hits from its /metrics."""

from __future__ import annotations

import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def scrape(url: str | None) -> dict[str, float]:
    """Return the worker's journal key reads and state-table hits so far ({} if unreadable)."""
    if url is None:
        return {}
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return {}
    found = {"reads": 0.0, "hits": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "zaiko_dynamodb_requests_total" and sample.labels.get(
                "operation") in ("GetItem", "BatchGetItem"):  # fmt: skip
                found["reads"] += sample.value
            elif sample.name == "zaiko_state_table_reads_total" and sample.labels.get(
                "result") == "hit":  # fmt: skip
                found["hits"] += sample.value
    return found
