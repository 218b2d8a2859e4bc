"""When ``zaiko bench recovery`` calls the outcome rate back."""

from __future__ import annotations

from bench.recovery import recovered_at


def test_the_rate_is_back_at_the_first_window_that_carries_nine_tenths_of_it() -> None:
    trickle = [0.5, 3.0, 7.0]  # a few stragglers while the worker restarts
    steady = [10.0 + i / 100 for i in range(1000)]  # 100/s from t=10
    assert recovered_at(trickle + steady, rate=100.0, now=30.0) == 10.0


def test_a_window_still_open_or_too_thin_is_not_recovery() -> None:
    steady = [10.0 + i / 100 for i in range(300)]
    assert recovered_at(steady, rate=100.0, now=12.0) is None  # the window ends in the future
    assert recovered_at(steady, rate=200.0, now=30.0) is None  # half the rate is not 90 %
