"""拠点死活: business hours in JST; silence counts from the last command or the opening."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors.notifications import BusinessHours
from connectors.notifications.hours import JAPAN
from connectors.notifications.silence import site_transitions
from schemas import NotificationState

HOURS = BusinessHours.parse("08:00-20:00", [0, 1, 2, 3, 4])


def jst(day: int, hour: int, minute: int = 0) -> float:
    """Return epoch seconds of December ``day`` 2026, JST (the 7th is a Monday)."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=JAPAN).timestamp()


def test_business_hours_are_weekdays_from_eight_to_eight_in_japan() -> None:
    assert HOURS.opened_at(jst(7, 9)) == jst(7, 8)
    assert HOURS.opened_at(jst(7, 7, 59)) is None
    assert HOURS.opened_at(jst(7, 20)) is None
    assert HOURS.opened_at(jst(12, 10)) is None  # a Saturday
    assert BusinessHours.parse("00:00-24:00", range(7)).opened_at(jst(12, 23, 59)) == jst(12, 0)


@pytest.mark.parametrize("text", ["20:00-08:00", "08:00-25:00", "8-20"])
def test_malformed_business_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        BusinessHours.parse(text, [0])


def test_a_quiet_night_does_not_raise_at_opening_but_a_quiet_morning_does() -> None:
    seen = {"TKY": jst(4, 19, 50)}  # Friday evening
    assert site_transitions(seen, {}, jst(7, 8, 10), HOURS, 1800) == []
    [raised] = site_transitions(seen, {}, jst(7, 8, 31), HOURS, 1800)
    assert (raised.warehouse_id, raised.state, raised.last_seen) == (
        "TKY",
        NotificationState.RAISED,
        jst(4, 19, 50),
    )


def test_nothing_is_raised_outside_business_hours_and_a_raised_site_stays_until_it_speaks() -> None:
    seen = {"TKY": jst(11, 12), "OSK": jst(11, 19, 59)}
    assert site_transitions(seen, {}, jst(12, 11), HOURS, 1800) == []  # Saturday
    raised = {"TKY": jst(11, 12)}
    assert site_transitions(seen, raised, jst(12, 11), HOURS, 1800) == []
    seen["TKY"] = jst(14, 8, 5)
    [cleared] = site_transitions(seen, raised, jst(14, 8, 6), HOURS, 1800)
    assert (cleared.warehouse_id, cleared.state) == ("TKY", NotificationState.CLEARED)
    assert cleared.last_seen == jst(11, 12)  # the episode it clears
