"""Alerts fire once per downward crossing, re-arm on recovery, and ignore redelivery."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from connectors.alerts import AlertState, evaluate, observation_of
from tests.unit.alerts.events import created, fresh_inventory, stock_at

INV = "PRD-000001@TKY-01"


def run(availabilities: list[int], threshold: int) -> list[int]:
    """Deliver one event per availability (seq 1..n); return the seqs that raised an alert."""
    state, fired = AlertState(), []
    for seq, available in enumerate(availabilities, start=1):
        obs = observation_of(stock_at(INV, seq, available))
        assert obs is not None
        state, alert = evaluate(state, obs, threshold)
        if alert is not None:
            fired.append(seq)
    return fired


def downward_crossings(availabilities: list[int], threshold: int) -> list[int]:
    previous_ok = True  # nothing observed yet counts as "at or above"
    crossings = []
    for seq, available in enumerate(availabilities, start=1):
        if available < threshold and previous_ok:
            crossings.append(seq)
        previous_ok = available >= threshold
    return crossings


def test_a_drop_below_the_threshold_fires_once_and_recovery_re_arms() -> None:
    assert run([20, 9, 5, 0, 10, 12, 3, 2], threshold=10) == [2, 7]


def test_the_first_observation_below_the_threshold_fires() -> None:
    assert run([3, 2], threshold=10) == [1]


def test_exactly_the_threshold_is_not_low() -> None:
    assert run([10, 10, 9], threshold=10) == [3]


def test_the_alert_carries_the_figures_and_a_deterministic_id() -> None:
    obs = observation_of(stock_at(INV, 4, 7, reserved=2))
    assert obs is not None
    _, alert = evaluate(AlertState(), obs, 10)
    assert alert is not None
    assert (alert.alert_id, alert.product_id, alert.warehouse_id, alert.zone_id) == (
        "PRD-000001@TKY-01:4", "PRD-000001", "TKY", "TKY-01",
    )  # fmt: skip
    assert (alert.available, alert.threshold) == (7, 10)


def test_a_redelivered_alerting_event_returns_the_same_alert_and_changes_nothing() -> None:
    obs = observation_of(stock_at(INV, 1, 3))
    assert obs is not None
    state, first = evaluate(AlertState(), obs, 10)
    again_state, again = evaluate(state, obs, threshold=99)
    assert again == first and again_state == state


def test_an_older_event_is_a_no_op() -> None:
    newer, older = observation_of(stock_at(INV, 5, 50)), observation_of(stock_at(INV, 4, 1))
    assert newer is not None and older is not None
    state, _ = evaluate(AlertState(), newer, 10)
    assert evaluate(state, older, 10) == (state, None)


def test_events_without_availability_are_not_observations() -> None:
    assert observation_of(created(fresh_inventory())) is None


availabilities = st.lists(st.integers(min_value=0, max_value=30), max_size=40)


@given(availabilities, st.integers(min_value=0, max_value=30))
def test_alerts_fire_exactly_at_downward_crossings(values: list[int], threshold: int) -> None:
    assert run(values, threshold) == downward_crossings(values, threshold)


@given(availabilities, st.integers(min_value=0, max_value=30), st.data())
def test_redelivery_never_adds_or_loses_an_alert(
    values: list[int], threshold: int, data: st.DataObject
) -> None:
    """Any event may be delivered again right away or after later ones (at least once)."""
    envelopes = [stock_at(INV, seq, v) for seq, v in enumerate(values, start=1)]
    state, alert_ids = AlertState(), []
    for i, env in enumerate(envelopes):
        replays = data.draw(st.lists(st.integers(min_value=0, max_value=i), max_size=2))
        for delivered in [env, *(envelopes[j] for j in replays)]:
            obs = observation_of(delivered)
            assert obs is not None
            state, alert = evaluate(state, obs, threshold)
            if alert is not None:
                alert_ids.append(alert.alert_id)
    expected = [f"{INV}:{seq}" for seq in downward_crossings(values, threshold)]
    assert sorted(set(alert_ids)) == sorted(expected)
