"""Threshold trackers: raise once, clear once, and ride out blips shorter than the window."""

from __future__ import annotations

from connectors.notifications import Condition, LatencyProbe, ThresholdTracker
from schemas import NotificationState

RAISED, CLEARED = NotificationState.RAISED, NotificationState.CLEARED


def run(tracker: ThresholdTracker, series: list[tuple[float, float]]) -> list[tuple[float, str]]:
    state, out = Condition(), []
    for now, value in series:
        state, change = tracker.observe(state, value, now)
        if change is not None:
            out.append((now, change.value))
        state = Condition.from_json(state.to_json())  # as if kept in Redis between rounds
    return out


def test_a_delay_above_the_threshold_for_the_window_raises_once_then_clears_once() -> None:
    tracker = ThresholdTracker(threshold=5.0, window_s=30.0)
    series = [(t, 9.0) for t in range(0, 100, 5)] + [(t, 1.0) for t in range(100, 200, 5)]
    assert run(tracker, series) == [(30, "RAISED"), (130, "CLEARED")]


def test_a_blip_shorter_than_the_window_changes_nothing_either_way() -> None:
    tracker = ThresholdTracker(threshold=5.0, window_s=30.0)
    assert run(tracker, [(0, 9.0), (20, 9.0), (25, 1.0), (50, 9.0), (75, 9.0)]) == []
    raised = [(t, 9.0) for t in range(0, 40, 10)]
    flapping = [(40, 1.0), (55, 9.0), (60, 1.0), (80, 1.0), (89, 1.0), (95, 1.0)]
    assert run(tracker, raised + flapping) == [(30, "RAISED"), (95, "CLEARED")]


def test_hysteresis_needs_the_whole_window_back_under_before_clearing() -> None:
    tracker = ThresholdTracker(threshold=5.0, window_s=30.0)
    series = [(0, 9.0), (30, 9.0), (40, 1.0), (60, 9.0), (70, 1.0), (90, 1.0), (100, 1.0)]
    assert run(tracker, series) == [(30, "RAISED"), (100, "CLEARED")]


def test_a_value_at_the_threshold_is_not_above_it_and_a_zero_window_acts_at_once() -> None:
    tracker = ThresholdTracker(threshold=5.0, window_s=0.0)
    assert run(tracker, [(0, 5.0), (1, 5.1), (2, 7.0), (3, 0.0), (4, 0.0)]) == [
        (1, "RAISED"),
        (3, "CLEARED"),
    ]


def test_the_episode_is_named_by_when_the_condition_started() -> None:
    tracker = ThresholdTracker(threshold=1.0, window_s=10.0)
    state, _ = tracker.observe(Condition(), 3.0, 100.0)
    state, change = tracker.observe(state, 4.0, 112.0)
    assert change is RAISED and state.raised_at == 100.0 and state.observed == 4.0
    state, change = tracker.observe(state, 0.0, 120.0)
    state, change = tracker.observe(state, 0.0, 131.0)
    assert change is CLEARED and state.raised_at == 100.0 and not state.raised


def test_a_probe_reports_work_in_flight_as_late_and_an_idle_subject_as_zero() -> None:
    probe = LatencyProbe()
    stuck = probe.begin("projection:inventory", oldest_ts=100.0)
    assert probe.drain(now=104.0) == {"projection:inventory": 4.0}
    probe.end(stuck, now=107.0)
    done = probe.begin("command-outcome", oldest_ts=106.5)
    probe.end(done, now=107.0)
    assert probe.drain(now=108.0) == {"projection:inventory": 7.0, "command-outcome": 0.5}
    assert probe.drain(now=200.0) == {"projection:inventory": 0.0, "command-outcome": 0.0}
