"""A batch is prepared without the database: per-aggregate rows, irregular groups set apart."""

from __future__ import annotations

import dataclasses
from typing import Any

from connectors.postgres.handlers import INVENTORY_HANDLERS
from connectors.postgres.prepare import plan_group, prepare
from connectors.postgres.stock import StockBook
from tests.unit.projections.builders import Scenario


def _one_by_one(envelopes: list[Any]) -> StockBook:
    """The reference: every event's 在庫 change applied in turn."""
    book = StockBook({})
    for envelope in envelopes:
        handler = INVENTORY_HANDLERS.get(type(envelope.event))
        effect = handler(envelope.meta, envelope.event) if handler else None
        if effect is not None and effect.change is not None:
            book.apply(effect.change)
    return book


def test_a_regular_group_nets_to_what_its_events_do_one_by_one() -> None:
    s = Scenario.fresh()
    story = s.full_story()
    prepared = prepare(story)
    netted = StockBook({})
    for group in prepared.groups.values():
        assert group.contiguous and group.error is None
        if group.change is not None:
            netted.apply(group.change)
    reference = _one_by_one(story)
    assert netted.upserts() == reference.upserts()
    assert netted.deltas() == reference.deltas()
    ledger = [row.event_id for g in prepared.groups.values() for row in g.ledger]
    movements = [e.meta.event_id for e in story if e.meta.event_id in set(ledger)]
    assert sorted(ledger) == sorted(movements) and len(ledger) > 3
    assert prepared.size == len(story)


def test_only_inventories_have_their_figures_read() -> None:
    s = Scenario.fresh()
    prepared = prepare(s.full_story())
    assert prepared.inventory_ids == sorted(
        aid for aid in prepared.groups if aid.startswith(s.product + "@")
    )
    assert s.w1 in prepared.groups and s.w1 not in prepared.inventory_ids


def test_duplicates_holes_and_disorder_make_an_irregular_sorted_group_without_rows() -> None:
    s = Scenario.fresh()
    src = s.inventory(s.w1)
    mine = [e for e in s.full_story() if e.meta.aggregate_id == src]
    for envelopes in ([mine[0], mine[1], mine[1]], [mine[0], mine[2]], [mine[1], mine[0]]):
        group = plan_group(envelopes)
        assert not group.contiguous
        assert group.ledger == [] and group.change is None
        seqs = [e.meta.sequence_nr for e in group.envelopes]
        assert seqs == sorted(seqs)


def test_an_unknown_event_class_is_kept_as_an_error_for_the_transaction_to_raise() -> None:
    s = Scenario.fresh()
    src = s.inventory(s.w1)
    first, second = [e for e in s.full_story() if e.meta.aggregate_id == src][:2]

    @dataclasses.dataclass(frozen=True)
    class Unknown_V1:
        inventory_id: str

    stranger = dataclasses.replace(second, event=Unknown_V1(src))
    group = plan_group([first, stranger])
    assert not group.contiguous
    assert group.error is not None and "Unknown_V1" in str(group.error)
