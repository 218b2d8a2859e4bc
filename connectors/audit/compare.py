"""Compare the journal with the read model; every mismatch becomes a Difference (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from connectors.audit.journal import CodecError, JournalAggregate, Quantities, fold_quantities
from connectors.audit.readmodel import ReadModel
from connectors.eventstore.errors import UnreadableItemError

ABSENT = "なし"
PARKED_CHECK = "投影保留"
UNREADABLE_CHECK = "読めない記録"


@dataclass(frozen=True)
class Difference:
    """One mismatch: which check, about what, the event store's value and the read model's."""

    check: str
    subject: str
    event_store: str
    read_model: str
    # 在庫数量 only: (journal, read model) figures, for reports that show each one
    figures: tuple[Quantities, Quantities] | None = None


def _figures(q: Quantities | None) -> str:
    return ABSENT if q is None else f"現在庫数 {q.on_hand} / 引当済数 {q.reserved}"


def unreadable_differences(errors: Iterable[UnreadableItemError]) -> list[Difference]:
    """Return a finding per journal item that is not an entry (nothing can be compared)."""
    return [Difference(UNREADABLE_CHECK, e.key, str(e), "-") for e in errors]


def compare(journal: Mapping[str, JournalAggregate], model: ReadModel) -> list[Difference]:
    """Return every difference: counts per type, rows, 在庫 quantities, 投影位置, 投影保留.

    A parked aggregate is a finding of its own (check 投影保留), beside whatever its
    unapplied events leave different (its 投影位置 behind the journal, its figures).
    """
    found: list[Difference] = []
    created: dict[str, set[str]] = {t: set() for t in model.rows}
    for aggregate in journal.values():
        if aggregate.created:
            created.setdefault(aggregate.aggregate_type, set()).add(aggregate.aggregate_id)
    counts = Counter({t: len(ids) for t, ids in created.items()})
    for aggregate_type in sorted(set(created) | set(model.rows)):
        rows = model.rows.get(aggregate_type, set())
        if counts[aggregate_type] != len(rows):
            found.append(Difference("件数", aggregate_type, str(counts[aggregate_type]),
                                    str(len(rows))))  # fmt: skip
        for missing in sorted(created.get(aggregate_type, set()) - rows):
            found.append(Difference("行", missing, "あり", ABSENT))
        for extra in sorted(rows - created.get(aggregate_type, set())):
            found.append(Difference("行", extra, ABSENT, "あり"))
    for aggregate_id in sorted(journal):
        aggregate = journal[aggregate_id]
        if aggregate.aggregate_type == "inventory":
            found.extend(_quantities(aggregate, model))
        position = model.positions.get(aggregate_id)
        if position != aggregate.last_seq:
            found.append(Difference("投影位置", aggregate_id, str(aggregate.last_seq),
                                    ABSENT if position is None else str(position)))  # fmt: skip
    for aggregate_id in sorted(set(model.positions) - set(journal)):
        found.append(
            Difference("投影位置", aggregate_id, ABSENT, str(model.positions[aggregate_id]))
        )
    for aggregate_id, parked in sorted(model.parked.items()):
        journal_seq = journal[aggregate_id].last_seq if aggregate_id in journal else None
        found.append(Difference(
            PARKED_CHECK, aggregate_id,
            ABSENT if journal_seq is None else f"{journal_seq} まで",
            f"{parked.sequence_nr} から保留 (event {parked.event_id}, {parked.attempts} 回): "
            f"{parked.reason}",
        ))  # fmt: skip
    return found


def _quantities(aggregate: JournalAggregate, model: ReadModel) -> list[Difference]:
    try:
        expected = fold_quantities(aggregate)
    except CodecError as e:
        return [Difference("復号", aggregate.aggregate_id, f"{type(e).__name__}: {e}", "-")]
    except Exception as e:  # a journal the domain cannot fold is a finding, not a crash
        return [Difference("畳込み", aggregate.aggregate_id, f"{type(e).__name__}: {e}", "-")]
    actual = model.stock.get(aggregate.aggregate_id)
    if expected is None or actual is None or expected == actual:
        return []  # a missing or extra row is reported by the row check
    return [Difference("在庫数量", aggregate.aggregate_id, _figures(expected), _figures(actual),
                       (expected, actual))]  # fmt: skip
