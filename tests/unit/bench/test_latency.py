"""The paced run's size and rate, and the percentiles ``zaiko bench commands`` reports."""

from __future__ import annotations

import pytest

from bench.latency import MIN_PACED, paced_count, paced_target, percentile, rank, summarize


def test_the_paced_run_sends_at_least_a_thousand_commands() -> None:
    assert paced_count(10) == MIN_PACED == 1000
    assert paced_count(2500) == 2500


def test_the_paced_rate_is_a_share_of_the_raw_putitem_rate_not_of_the_peak() -> None:
    assert paced_target(925.0, 0.5) == 462.5
    with pytest.raises(ValueError):
        paced_target(0.0, 0.5)  # no raw rate measured: no paced run


def test_nearest_rank_of_a_thousand_samples_leaves_one_above_the_p999() -> None:
    assert rank(1000, 0.999) == 999  # not 1000: 0.999 * 1000 is 999.0000000000001
    assert rank(1000, 0.99) == 990
    assert rank(1000, 0.5) == 500
    assert rank(1, 0.999) == 1
    with pytest.raises(ValueError):
        rank(0, 0.5)


def test_percentiles_are_values_that_were_measured() -> None:
    ordered = [float(i) for i in range(1, 101)]  # 1 … 100 ms
    assert percentile(ordered, 0.5) == 50.0
    assert percentile(ordered, 0.99) == 99.0
    assert percentile(ordered, 0.999) == 100.0  # 100 samples: the p999 is the slowest


def test_summary_is_in_milliseconds_whatever_the_order_of_the_samples() -> None:
    seconds = [i / 1000 for i in range(2000, 0, -1)]  # 2.000 s … 0.001 s, slowest first
    latency = summarize(seconds)
    assert latency.samples == 2000
    assert (latency.p50_ms, latency.p99_ms, latency.p999_ms) == pytest.approx((1000, 1980, 1998))
    assert latency.above_p999 == 2
    assert not latency.p99_met


def test_a_p99_of_exactly_250_ms_meets_the_target() -> None:
    assert summarize([0.25] * MIN_PACED).p99_met
    with pytest.raises(ValueError):
        summarize([])
