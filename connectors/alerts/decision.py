"""Pure low-stock decisions: fire once when available drops below the threshold, re-arm later.

An inventory starts armed. An observation below the threshold while armed fires and
disarms; one at or above the threshold re-arms. Each observation is an inventory event's
after-values with its sequence number: one at or below the last evaluated number changes
nothing, and a redelivery of the very event that fired returns that same alert again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from schemas import EventEnvelope, LowStockAlert


@dataclass(frozen=True)
class Observation:
    """One inventory's available stock after the event with sequence number ``seq``."""

    inventory_id: str
    product_id: str
    warehouse_id: str
    zone_id: str
    seq: int
    available: int
    occurred_at: dt.datetime

    @property
    def zone_no(self) -> str:
        return self.zone_id.rpartition("-")[2]


@dataclass(frozen=True)
class AlertState:
    """What the detector remembers per inventory (a row of 低在庫アラート状態)."""

    armed: bool = True
    last_seq: int = 0
    last_available: int | None = None
    fired_seq: int | None = None
    fired_threshold: int | None = None


def crossing(armed: bool, available: int, threshold: int) -> tuple[bool, bool]:
    """Return (fire, armed afterwards) for one observation."""
    below = available < threshold
    return armed and below, not below


def alert_id(inventory_id: str, seq: int) -> str:
    """Return the deterministic id of the alert raised by event ``seq`` of an inventory."""
    return f"{inventory_id}:{seq}"


def alert_for(obs: Observation, threshold: int) -> LowStockAlert:
    """Build the alert an observation raises against ``threshold``."""
    return LowStockAlert(
        alert_id=alert_id(obs.inventory_id, obs.seq),
        product_id=obs.product_id,
        warehouse_id=obs.warehouse_id,
        zone_id=obs.zone_id,
        available=obs.available,
        threshold=threshold,
        occurred_at=obs.occurred_at,
    )


def evaluate(
    state: AlertState, obs: Observation, threshold: int
) -> tuple[AlertState, LowStockAlert | None]:
    """Return the state after ``obs`` and the alert to publish, if any."""
    if obs.seq < state.last_seq:
        return state, None
    if obs.seq == state.last_seq:  # redelivery: repeat the alert it raised, if it raised one
        if state.fired_seq == obs.seq and state.fired_threshold is not None:
            return state, alert_for(obs, state.fired_threshold)
        return state, None
    fire, armed = crossing(state.armed, obs.available, threshold)
    after = replace(state, armed=armed, last_seq=obs.seq, last_available=obs.available)
    if not fire:
        return after, None
    return replace(after, fired_seq=obs.seq, fired_threshold=threshold), alert_for(obs, threshold)


def observation_of(envelope: EventEnvelope[Any]) -> Observation | None:
    """Return the availability an inventory event states, or None if it states none.

    InventoryCreated_V1 (nothing received yet), TransferCompleted_V1 and
    StorageConditionViolated_V1 leave availability unchanged, so they are not observations:
    a new, still empty inventory does not raise an alert before its first movement.
    """
    event = envelope.event
    available = getattr(event, "available_after", None)
    if not isinstance(available, int) or not hasattr(event, "inventory_id"):
        return None
    return Observation(
        event.inventory_id,
        event.product_id,
        event.warehouse_id,
        event.zone_id,
        envelope.meta.sequence_nr,
        available,
        envelope.meta.occurred_at,
    )
