"""Count outcomes by command type and rejection reason, and print them as rich tables."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

from simulation.outcomes import Answer

# An outcome completed this long before its command was sent was recorded by an earlier
# run; the slack covers the clocks of the sender and the worker disagreeing a little.
EARLIER_RUN_SLACK = dt.timedelta(milliseconds=250)


@dataclass
class Row:
    sent: int = 0
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    already_applied: int = 0
    missing: int = 0


@dataclass
class Tally:
    """Outcomes per command type (or any label)."""

    rows: dict[str, Row] = field(default_factory=lambda: defaultdict(Row))

    def add(self, label: str, answer: Answer | None, sent_at: dt.datetime | None) -> None:
        """Count one command sent at ``sent_at`` and its answer (None: no outcome arrived)."""
        row = self.rows[label]
        row.sent += 1
        if answer is None:
            row.missing += 1
            return
        if sent_at is not None and answer.completed_at < sent_at - EARLIER_RUN_SLACK:
            row.already_applied += 1
        if answer.accepted:
            row.accepted += 1
        else:
            row.rejected[answer.error_code or "UNKNOWN"] += 1

    @property
    def total(self) -> Row:
        total = Row()
        for row in self.rows.values():
            total.sent += row.sent
            total.accepted += row.accepted
            total.rejected.update(row.rejected)
            total.already_applied += row.already_applied
            total.missing += row.missing
        return total

    def table(self, title: str) -> Table:
        """Return the tally as a table, one line per label plus a total."""
        table = Table(title=title)
        for column in ("command", "sent", "accepted", "rejected", "already applied",
                       "no outcome", "rejections by reason"):  # fmt: skip
            table.add_column(column, justify="left" if column.startswith(("c", "rej")) else "right")
        for label, row in [*sorted(self.rows.items()), ("合計 total", self.total)]:
            reasons = ", ".join(f"{code} {n}" for code, n in row.rejected.most_common())
            table.add_row(label, str(row.sent), str(row.accepted), str(sum(row.rejected.values())),
                          str(row.already_applied), str(row.missing), reasons or "-")  # fmt: skip
        return table


def tally_of(
    labels: Mapping[str, str], answers: Mapping[str, Answer], sent_at: Mapping[str, dt.datetime]
) -> Tally:
    """Tally the answers of the commands in ``labels`` (command id -> label) by their send time."""
    result = Tally()
    for command_id, label in labels.items():
        result.add(label, answers.get(command_id), sent_at.get(command_id))
    return result


def percentile(values: Iterable[float], q: float) -> float:
    """Return the ``q`` quantile (0..1) of ``values`` by nearest rank; 0 when empty."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def median(values: Iterable[float]) -> float:
    """Return the median of ``values``; 0 when empty."""
    listed = list(values)
    return statistics.median(listed) if listed else 0.0


def print_tables(console: Console, *tables: Table) -> None:
    """Print tables one after the other."""
    for table in tables:
        console.print(table)
