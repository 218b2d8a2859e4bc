"""The operations page's figures from real Prometheus expositions (prometheus_client's own)."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from query_gateway.ops.figures import parse, point, quantile

BUCKETS = (0.01, 0.1, 1.0, 10.0)


def exposition(commands: float, latencies: list[float], lags: dict[str, float]) -> str:
    """Return the text a worker would serve with these figures."""
    registry = CollectorRegistry()
    counter = Counter("zaiko_commands", "c", ["status"], registry=registry)
    counter.labels("ACCEPTED").inc(commands)
    histogram = Histogram("zaiko_command_outcome_seconds", "h", ["command_type"],
                          buckets=BUCKETS, registry=registry)  # fmt: skip
    for seconds in latencies:
        histogram.labels("ReceiveStock").observe(seconds)
    lag = Gauge("zaiko_kafka_consumer_lag", "g", ["partition"], registry=registry)
    for partition, value in lags.items():
        lag.labels(partition).set(value)
    return generate_latest(registry).decode()


def test_a_scrape_sums_counters_and_consumer_lag_across_endpoints_and_series() -> None:
    sample = parse(100.0, [exposition(4, [], {"0": 2, "1": 3}), exposition(6, [], {"0": 5})])
    assert sample.commands == 10
    assert sample.gauges["zaiko_kafka_consumer_lag"] == 10
    assert sample.gauges["zaiko_bridge_lag_seconds"] is None  # nobody exposes it: "—"


def test_missing_families_stay_unknown_rather_than_zero() -> None:
    sample = parse(1.0, ["# nothing here\n"])
    assert sample.commands is None and sample.outcome_buckets is None
    assert point(sample, None, None)["commands_per_s"] is None


def test_throughput_is_the_counter_delta_over_the_time_between_scrapes() -> None:
    before = parse(100.0, [exposition(10, [], {})])
    after = parse(102.0, [exposition(16, [], {})])
    assert point(after, before, before)["commands_per_s"] == 3.0
    assert point(before, after, after)["commands_per_s"] is None  # a restart reset the counter


def test_latency_quantiles_come_from_the_bucket_deltas_of_the_window_only() -> None:
    old = parse(0.0, [exposition(0, [5.0] * 100, {})])  # slow, before the window
    new = parse(30.0, [exposition(0, [5.0] * 100 + [0.05] * 99 + [0.5], {})])
    figures = point(new, old, old)
    assert figures["latency_p50_s"] == pytest.approx(0.01 + (0.1 - 0.01) * 50 / 99)
    assert 0.1 < figures["latency_p99_s"] <= 1.0


def test_quantile_interpolates_within_a_bucket_as_prometheus_does() -> None:
    buckets = [(1.0, 50.0), (2.0, 100.0), (float("inf"), 100.0)]
    assert quantile(0.25, buckets) == pytest.approx(0.5)  # from 0 up to the first bound
    assert quantile(0.99, buckets) == pytest.approx(1.0 + (99 - 50) / 50)


def test_a_quantile_in_the_overflow_bucket_is_the_highest_finite_bound() -> None:
    assert quantile(0.99, [(1.0, 1.0), (float("inf"), 10.0)]) == 1.0
    assert quantile(0.5, [(1.0, 0.0), (float("inf"), 0.0)]) is None
