"""The audit's comparison: a faithful read model is clean, each kind of drift is reported."""

from __future__ import annotations

import dataclasses

from connectors.audit import JournalAggregate, Quantities, ReadModel, compare
from connectors.audit.readmodel import ParkedRow
from domain.messages import aggregate_type_of
from tests.unit.projections.builders import Scenario


def journal_of(s: Scenario) -> dict[str, JournalAggregate]:
    store = s.recorder.store()
    journal: dict[str, JournalAggregate] = {}
    for e in s.recorder.envelopes:
        aggregate_id = e.meta.aggregate_id
        if aggregate_id not in journal:
            journal[aggregate_id] = JournalAggregate(
                aggregate_id, aggregate_type_of(e.event), store.load(aggregate_id)
            )
    return journal


def faithful_model(s: Scenario) -> ReadModel:
    """The read model a correct projection of the scenario leaves (built by hand)."""
    # the chilled zone's inventory was refused (storage condition): it has no 在庫 row
    src, dst = s.inventory(s.w1), s.inventory(s.w2)
    positions = {aggregate_id: 0 for aggregate_id in journal_of(s)}
    for e in s.recorder.envelopes:
        positions[e.meta.aggregate_id] = e.meta.sequence_nr
    return ReadModel(
        rows={
            "product": {s.product},
            "customer": set(),
            "warehouse": {s.w1, s.w2},
            "warehouse-zone": {f"{s.w1}-01", f"{s.w1}-02", f"{s.w2}-01"},
            "inventory": {src, dst},
        },
        stock={src: Quantities(50, 10), dst: Quantities(25, 0)},
        positions=positions,
    )


def test_a_faithful_read_model_shows_no_difference() -> None:
    s = Scenario.fresh()
    s.full_story()
    assert compare(journal_of(s), faithful_model(s)) == []


def test_drifted_quantities_rows_counts_and_positions_are_reported() -> None:
    s = Scenario.fresh()
    s.full_story()
    model = faithful_model(s)
    src = s.inventory(s.w1)
    model.stock[src] = Quantities(51, 10)
    model.rows["warehouse"].discard(s.w2)
    model.positions[s.product] = 0
    model.positions["PRD-999999999"] = 3
    found = {(d.check, d.subject) for d in compare(journal_of(s), model)}
    assert found == {
        ("在庫数量", src),
        ("行", s.w2),
        ("件数", "warehouse"),
        ("投影位置", s.product),
        ("投影位置", "PRD-999999999"),
    }


def test_an_undecodable_journal_event_is_a_finding_not_a_crash() -> None:
    s = Scenario.fresh()
    s.full_story()
    journal = journal_of(s)
    src = journal[s.inventory(s.w1)]
    first = src.entries[0]
    broken = dataclasses.replace(first.events[0], payload=b"\xc3\x01broken")
    src.entries[0] = dataclasses.replace(first, events=(broken,))
    found = [d for d in compare(journal, faithful_model(s)) if d.check == "復号"]
    assert [d.subject for d in found] == [s.inventory(s.w1)]


def test_a_parked_aggregate_is_a_finding_of_its_own() -> None:
    s = Scenario.fresh()
    s.full_story()
    model = faithful_model(s)
    src = s.inventory(s.w1)
    model.positions[src] = 2
    model.parked[src] = ParkedRow(
        3, "ev-3", "NumericValueOutOfRange [22003]: integer out of range", 3
    )
    found = compare(journal_of(s), model)
    parked = [d for d in found if d.check == "投影保留"]
    assert [(d.subject, d.event_store) for d in parked] == [(src, "8 まで")]
    assert "3 から保留" in parked[0].read_model and "integer out of range" in parked[0].read_model
    assert ("投影位置", src) in {(d.check, d.subject) for d in found}
