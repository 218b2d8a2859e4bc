"""The part of projecting a batch that needs no database: grouping and each event's rows.

Split from the transaction (``PostgresProjector.apply_prepared``) so that a replay can
prepare the next batch in a second thread while Postgres executes the current one
(connectors/replay/rebuild.py); the live path runs both steps back to back. Nothing here
depends on what is recorded: whether a group is applied whole is decided in the
transaction, against the 投影位置 it locks, and anything but the plain case (the group
starts right after the recorded number and has no holes or duplicates) is ordered and
planned again there, as before (gaps.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from connectors.postgres.handlers import (
    INVENTORY_HANDLERS,
    MASTER_HANDLERS,
    UnprojectableEventError,
)
from connectors.postgres.rows import LedgerRow, StockChange, ViolationRow
from connectors.postgres.writes import Write
from domain.messages import AGGREGATE_OF_EVENT
from schemas import EventEnvelope


@dataclass(slots=True)
class GroupPlan:
    """One aggregate's events of a batch (sorted by number) and the rows they all make."""

    envelopes: list[EventEnvelope[Any]]
    contiguous: bool = True  # False: irregular (see plan_group), no rows computed
    writes: list[Write] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)
    violations: list[ViolationRow] = field(default_factory=list)
    change: StockChange | None = None  # the net 在庫 change of all the events
    error: UnprojectableEventError | None = None  # raised only if the event is applied


@dataclass(slots=True)
class PreparedBatch:
    """A batch grouped per aggregate, with the rows of every event computed."""

    groups: dict[str, GroupPlan]
    inventory_ids: list[str]  # sorted; the 在庫 rows whose stored figures the plan needs
    types: dict[str, str] = field(default_factory=dict)  # aggregate id -> type, when known

    @property
    def size(self) -> int:
        """Return the number of events in the batch."""
        return sum(len(g.envelopes) for g in self.groups.values())


def prepare(envelopes: Iterable[EventEnvelope[Any]]) -> PreparedBatch:
    """Group ``envelopes`` per aggregate and compute each group's rows (no I/O)."""
    grouped: dict[str, list[EventEnvelope[Any]]] = {}
    for envelope in envelopes:
        group = grouped.get(envelope.meta.aggregate_id)
        if group is None:
            grouped[envelope.meta.aggregate_id] = [envelope]
        else:
            group.append(envelope)
    groups = {aggregate_id: plan_group(group) for aggregate_id, group in grouped.items()}
    types = {aid: t for aid, g in groups.items() if (t := _type_of(g)) is not None}
    inventory_ids = sorted(aid for aid, t in types.items() if t == "inventory")
    return PreparedBatch(groups, inventory_ids, types)


def _type_of(group: GroupPlan) -> str | None:
    for envelope in reversed(group.envelopes):  # the last known class tells (normally the last)
        aggregate_type = AGGREGATE_OF_EVENT.get(type(envelope.event).__name__)
        if aggregate_type is not None:
            return aggregate_type
    return None


def plan_group(envelopes: list[EventEnvelope[Any]]) -> GroupPlan:
    """Compute the rows of one aggregate's events (in arrival order, normally sorted).

    Events out of order, duplicated, with holes or of an unknown class make an
    irregular group: it is returned sorted, without rows, for the transaction to order
    against the recorded number and plan again (connectors/postgres/gaps.py). A row
    builder that refuses an event's values makes the group fail when it is applied
    (UnprojectableEventError): that depends on the events alone, so it is the events'
    fault, as a value the database refuses is.
    """
    try:
        return _plan_group(envelopes)
    except Exception as e:
        failed = _irregular(envelopes)
        failed.error = UnprojectableEventError(f"{type(e).__name__}: {e}")
        return failed


def _plan_group(envelopes: list[EventEnvelope[Any]]) -> GroupPlan:
    plan = GroupPlan(envelopes)
    previous = envelopes[0].meta.sequence_nr - 1
    on_hand: int | None = None
    reserved: int | None = None
    in_transit = 0
    last: StockChange | None = None
    inventory_handler, add_ledger = INVENTORY_HANDLERS.get, plan.ledger.append  # hot loop
    for envelope in envelopes:
        meta, event = envelope.meta, envelope.event
        if meta.sequence_nr != previous + 1:
            return _irregular(envelopes)
        previous = meta.sequence_nr
        kind = type(event)
        inventory = inventory_handler(kind)
        if inventory is not None:
            change, ledger, violation = inventory(meta, event)
            if change is not None:
                # Movement events carry after-figures: the last one given wins, while
                # the in-transit deltas add up (what StockBook.apply does event by event).
                if change.on_hand is not None:
                    on_hand = change.on_hand
                if change.reserved is not None:
                    reserved = change.reserved
                in_transit += change.in_transit_delta
                last = change
            if ledger is not None:
                add_ledger(ledger)
            if violation is not None:
                plan.violations.append(violation)
        elif kind in MASTER_HANDLERS:
            plan.writes.extend(MASTER_HANDLERS[kind](meta, event))
        else:
            irregular = _irregular(envelopes)
            irregular.error = UnprojectableEventError(kind.__name__)
            return irregular
    if last is not None:
        plan.change = last._replace(on_hand=on_hand, reserved=reserved, in_transit_delta=in_transit)
    return plan


def _irregular(envelopes: list[EventEnvelope[Any]]) -> GroupPlan:
    ordered = sorted(envelopes, key=lambda e: e.meta.sequence_nr)
    return GroupPlan(ordered, contiguous=False)
