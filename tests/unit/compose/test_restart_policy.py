"""The supervisor's restart policy: backoff doubling to a ceiling, giving up in a window."""

from __future__ import annotations

from compose.supervision.policy import GAVE_UP, RESTARTING, RUNNING, RestartPolicy, ServiceWatch

POLICY = RestartPolicy(initial_backoff_s=0.5, max_backoff_s=4.0, give_up_after=6, window_s=60.0)
ERROR = {"exit": "killed by SIGKILL", "log": []}


def test_backoff_doubles_from_the_initial_wait_up_to_the_ceiling() -> None:
    assert [POLICY.backoff_s(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_a_crash_schedules_a_restart_after_the_backoff_and_not_before() -> None:
    watch = ServiceWatch(POLICY)
    watch.crashed(100.0, ERROR)
    assert (watch.state, watch.restart_at, watch.last_error) == (RESTARTING, 100.5, ERROR)
    assert not watch.due(100.49)
    assert watch.due(100.5)
    watch.restarted()
    assert (watch.state, watch.restarts, watch.restart_at) == (RUNNING, 1, None)


def test_consecutive_crashes_wait_longer_each_time() -> None:
    watch, now, waits = ServiceWatch(POLICY), 0.0, []
    for _ in range(4):
        watch.crashed(now, ERROR)
        assert watch.restart_at is not None
        waits.append(watch.restart_at - now)
        now = watch.restart_at + 1.0
        watch.restarted()
    assert waits == [0.5, 1.0, 2.0, 4.0]


def test_it_gives_up_at_the_configured_count_of_crashes_within_the_window() -> None:
    watch, now = ServiceWatch(POLICY), 0.0
    for crash in range(1, 7):
        watch.crashed(now, {**ERROR, "n": crash})
        if crash < 6:
            assert watch.state == RESTARTING, crash
            now = (watch.restart_at or 0.0) + 0.1
            watch.restarted()
    assert (watch.state, watch.restart_at, watch.restarts) == (GAVE_UP, None, 5)
    assert watch.last_error == {**ERROR, "n": 6}
    assert not watch.due(now + 1000)


def test_crashes_older_than_the_window_are_forgiven() -> None:
    watch = ServiceWatch(POLICY)
    for crash in range(5):  # one short of giving up, each a minute and more apart
        watch.crashed(crash * 61.0, ERROR)
        watch.restarted()
        assert len(watch.crashes) == 1
    watch.crashed(5 * 61.0, ERROR)
    assert watch.state == RESTARTING and watch.restart_at == 5 * 61.0 + 0.5
