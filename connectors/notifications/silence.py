"""拠点死活: which warehouses fell silent, or spoke again, given their last-seen times."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from connectors.notifications.hours import BusinessHours
from schemas import NotificationState


@dataclass(frozen=True)
class SiteTransition:
    """A warehouse's channel fell silent (RAISED) or spoke again (CLEARED)."""

    warehouse_id: str
    state: NotificationState
    last_seen: float  # the last command before the silence (names the episode)
    silent_s: float


def site_transitions(
    last_seen: Mapping[str, float],
    raised: Mapping[str, float],
    now: float,
    hours: BusinessHours,
    silence_s: float,
) -> list[SiteTransition]:
    """Return the transitions at ``now``; ``raised`` maps a silent warehouse to its last_seen.

    Silence counts from the later of the last command and today's opening, so a quiet
    night does not raise at 08:00 sharp; outside business hours nothing is raised, and a
    raised warehouse stays raised until it sends a command again.
    """
    opened = hours.opened_at(now)
    out: list[SiteTransition] = []
    for warehouse_id, seen in sorted(last_seen.items()):
        before = raised.get(warehouse_id)
        if before is not None:
            if seen > before:
                out.append(SiteTransition(warehouse_id, NotificationState.CLEARED, before,
                                          seen - before))  # fmt: skip
            continue
        if opened is None:
            continue
        silent = now - max(seen, opened)
        if silent > silence_s:
            out.append(SiteTransition(warehouse_id, NotificationState.RAISED, seen, now - seen))
    return out
