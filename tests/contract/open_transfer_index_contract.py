"""The open-transfers index contract, written once and run against every implementation.

Subclass ``OpenTransferIndexContract`` in a ``Test*`` class and implement ``make_index``.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from connectors.open_transfers import OpenTransfer, OpenTransferIndex


def entry(transfer_id: str = "", source: str = "", **fields: object) -> OpenTransfer:
    """An entry with fresh ids unless given (the index may be shared by several tests)."""
    number = uuid.uuid4().int % 900_000 + 100_000
    base = OpenTransfer(
        source=source or f"PRD-{number}@TKY-01",
        transfer_id=transfer_id or f"T-{uuid.uuid4().hex[:12]}",
        destination=f"PRD-{number}@OSK-01",
        quantity=30,
        opened_at_ms=1_700_000_000_000,
        written_at_ms=1_700_000_000_005,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


class OpenTransferIndexContract:
    """Behaviour every ``OpenTransferIndex`` must have."""

    def make_index(self) -> OpenTransferIndex:
        raise NotImplementedError

    @pytest.fixture
    def index(self) -> OpenTransferIndex:
        return self.make_index()

    def find(self, index: OpenTransferIndex, wanted: OpenTransfer) -> list[OpenTransfer]:
        return [e for e in index.entries() if e.key == wanted.key]

    def test_an_opened_transfer_is_listed_with_every_field(self, index: OpenTransferIndex) -> None:
        plain = entry()
        full = entry(correlation_id="corr-1", operator="山田", note="棚替え", out_sequence_nr=42)
        index.open(plain)
        index.open(full)
        assert self.find(index, plain) == [plain]
        assert self.find(index, full) == [full]

    def test_opening_again_replaces_the_entry_and_its_claim(self, index: OpenTransferIndex) -> None:
        first = entry()
        index.open(first)
        assert index.claim(first.source, first.transfer_id, "w1", 0, 10**15)
        again = replace(first, written_at_ms=first.written_at_ms + 1)
        index.open(again)
        assert self.find(index, first) == [again]
        assert index.claim(first.source, first.transfer_id, "w2", 1, 2)

    def test_a_closed_transfer_is_gone(self, index: OpenTransferIndex) -> None:
        e = entry()
        index.open(e)
        assert index.close(e.source, e.transfer_id)
        assert self.find(index, e) == []
        assert not index.close(e.source, e.transfer_id)

    def test_a_close_that_names_an_older_write_keeps_the_newer_one(
        self, index: OpenTransferIndex
    ) -> None:
        old = entry()
        index.open(old)
        new = replace(old, written_at_ms=old.written_at_ms + 1000)
        index.open(new)
        assert not index.close(old.source, old.transfer_id, old.written_at_ms)
        assert self.find(index, old) == [new]
        assert index.close(new.source, new.transfer_id, new.written_at_ms)
        assert self.find(index, old) == []

    def test_closing_a_transfer_keeps_a_later_transfer_of_its_id(
        self, index: OpenTransferIndex
    ) -> None:
        earlier = entry(out_sequence_nr=5)
        later = replace(earlier, out_sequence_nr=2005, opened_at_ms=earlier.opened_at_ms + 9)
        index.open(later)  # the id came back; a late OUT event of the earlier one arrives
        assert not index.close_opened(earlier)
        assert self.find(index, later) == [later]
        assert index.close_opened(later)
        assert self.find(index, later) == [] and not index.close_opened(later)

    def test_an_entry_without_a_sequence_number_is_closed_by_its_out_legs_time(
        self, index: OpenTransferIndex
    ) -> None:
        legacy = entry()  # written before entries kept the OUT leg's sequence number
        index.open(legacy)
        other_time = replace(legacy, out_sequence_nr=7, opened_at_ms=legacy.opened_at_ms + 1)
        assert not index.close_opened(other_time)
        assert index.close_opened(replace(legacy, out_sequence_nr=7))
        unnamed = entry()  # a leg from before transfers were named
        index.open(unnamed)
        assert not index.close_opened(replace(unnamed, opened_at_ms=unnamed.opened_at_ms + 1))
        assert index.close_opened(unnamed)
        assert self.find(index, legacy) == [] == self.find(index, unnamed)

    def test_an_unnamed_out_leg_never_closes_a_named_entry(self, index: OpenTransferIndex) -> None:
        named = entry(out_sequence_nr=11)
        index.open(named)
        assert not index.close_opened(replace(named, out_sequence_nr=None))
        assert self.find(index, named) == [named]

    def test_two_sources_keep_one_transfer_id_apart(self, index: OpenTransferIndex) -> None:
        tid = f"T-{uuid.uuid4().hex[:12]}"
        a, b = entry(tid), entry(tid)
        index.open(a)
        index.open(b)
        assert index.close(a.source, tid)
        assert self.find(index, a) == [] and self.find(index, b) == [b]

    def test_a_claim_keeps_other_owners_off_until_it_expires(
        self, index: OpenTransferIndex
    ) -> None:
        e = entry()
        index.open(e)
        assert index.claim(e.source, e.transfer_id, "w1", now_ms=1000, until_ms=5000)
        [claimed] = self.find(index, e)
        assert (claimed.claimed_by, claimed.claimed_until_ms) == ("w1", 5000)
        assert not index.claim(e.source, e.transfer_id, "w2", now_ms=4999, until_ms=9000)
        assert index.claim(e.source, e.transfer_id, "w1", now_ms=4999, until_ms=9000)
        assert index.claim(e.source, e.transfer_id, "w2", now_ms=9000, until_ms=12000)
        assert self.find(index, e)[0].claimed_by == "w2"

    def test_a_transfer_that_is_not_listed_cannot_be_claimed(
        self, index: OpenTransferIndex
    ) -> None:
        e = entry()
        assert not index.claim(e.source, e.transfer_id, "w1", 0, 1000)
        assert self.find(index, e) == []

    def test_every_entry_is_listed_however_many(self, index: OpenTransferIndex) -> None:
        source = entry().source
        opened = [entry(f"MANY-{n:04d}", source) for n in range(250)]
        for e in opened:
            index.open(e)
        listed = {e.key: e for e in index.entries() if e.source == source}
        assert listed == {e.key: e for e in opened}
