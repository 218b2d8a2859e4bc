"""Read given aggregates' journals with GetItem chains (BatchGetItem), never a Scan or Query.

An item holds seq nrs ``seq_nr``..``last_seq_nr``, so an aggregate's next item is at
``last_seq_nr + 1``: one round of BatchGetItem reads the next item of every aggregate.
moto sorts the whole table on every Scan page and Query; at D商事's size this costs
O(items read) instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from connectors.dynamodb.tables import JOURNAL
from connectors.eventstore.items import entry_from_item
from connectors.eventstore.port import JournalEntry

BATCH = 100  # BatchGetItem's limit


@dataclass
class Journal:
    """The entries of the aggregates read, in sequence order."""

    entries: dict[str, list[JournalEntry]] = field(default_factory=dict)

    @property
    def items(self) -> int:
        return sum(len(e) for e in self.entries.values())

    def command_ids(self) -> list[str]:
        """Every command id in every entry, repeats kept (a repeat is a double append)."""
        return [c for entries in self.entries.values() for e in entries for c in e.command_ids]

    def last_seq(self, aggregate_id: str) -> int:
        entries = self.entries.get(aggregate_id, [])
        return entries[-1].last_seq_nr if entries else 0

    def events(self, aggregate_id: str) -> list[Any]:
        return [ev for entry in self.entries.get(aggregate_id, []) for ev in entry.events]

    def gaps(self) -> list[str]:
        """Aggregates whose seq nrs do not run 1..n without a hole or overlap."""
        broken = []
        for aggregate_id in self.entries:
            seqs = [ev.seq_nr for ev in self.events(aggregate_id)]
            if seqs != list(range(1, len(seqs) + 1)):
                broken.append(aggregate_id)
        return broken


def read_journal(client: Any, prefix: str, aggregate_ids: Iterable[str]) -> Journal:
    """Return the journal of every aggregate in ``aggregate_ids`` (absent ones: no entries)."""
    table = JOURNAL.name(prefix)
    journal = Journal({a: [] for a in aggregate_ids})
    wanted = {a: 1 for a in journal.entries}  # aggregate -> next seq nr to read
    while wanted:
        found = _batch_get(client, table, wanted.items())
        for aggregate_id in list(wanted):
            item = found.get((aggregate_id, wanted[aggregate_id]))
            if item is None:
                del wanted[aggregate_id]
                continue
            entry = entry_from_item(item)
            journal.entries[aggregate_id].append(entry)
            wanted[aggregate_id] = entry.last_seq_nr + 1
    return journal


def items_at(client: Any, prefix: str, aggregate_id: str, seqs: Iterable[int]) -> list[int]:
    """Return which of ``seqs`` hold an item of ``aggregate_id`` (its chain aside)."""
    found = _batch_get(client, JOURNAL.name(prefix), [(aggregate_id, s) for s in seqs])
    return sorted(seq for _, seq in found)


def _batch_get(
    client: Any, table: str, keys: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], Any]:
    found: dict[tuple[str, int], Any] = {}
    pending = [{"aggregate_id": {"S": a}, "seq_nr": {"N": str(s)}} for a, s in keys]
    while pending:
        chunk, pending = pending[:BATCH], pending[BATCH:]
        request = {table: {"Keys": chunk, "ConsistentRead": True}}
        while request:
            answer = client.batch_get_item(RequestItems=request)
            for item in answer.get("Responses", {}).get(table, []):
                found[(item["aggregate_id"]["S"], int(item["seq_nr"]["N"]))] = item
            request = answer.get("UnprocessedKeys") or {}
    return found
