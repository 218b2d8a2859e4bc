"""The event-store contract, written once and run against every implementation.

Subclass ``EventStoreContract`` in a ``Test*`` class and implement the three
factories; the base class has no ``Test`` prefix, so pytest only collects it
through its subclasses.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace

import pytest

from connectors.eventstore import (
    ConcurrencyError,
    CorruptJournalError,
    EventStore,
    JournalEntry,
    NewEvent,
)
from connectors.eventstore.journal import events_after
from domain.errors import ConcurrencyError as DomainConcurrencyError


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def events(*types: str) -> list[NewEvent]:
    """Events whose payloads include bytes that break text round trips (NUL, 0xC3 0x01)."""
    return [
        NewEvent(new_id("evt"), t, b"\xc3\x01\x00" + t.encode() + bytes(range(256)), 1_700 + i)
        for i, t in enumerate(types)
    ]


class EventStoreContract:
    """Behaviour every ``EventStore`` must have."""

    def make_store(self) -> EventStore:
        raise NotImplementedError

    @pytest.fixture
    def store(self) -> EventStore:
        return self.make_store()

    @pytest.fixture
    def agg(self) -> str:
        return new_id("inv")

    def append(
        self, store: EventStore, agg: str, expected: int, *types: str, cmd: str = ""
    ) -> JournalEntry:
        return store.append(agg, "Inventory", expected, events(*types), cmd or new_id("cmd"), "c1")

    def test_appended_events_load_back_byte_for_byte(self, store: EventStore, agg: str) -> None:
        new = events("InventoryCreated_V1", "StockReceived_V1")
        written = store.append(agg, "Inventory", 0, new, "cmd-1", "corr-1")
        [loaded] = store.load(agg)
        assert loaded == written
        assert (loaded.aggregate_type, loaded.command_id, loaded.correlation_id) == (
            "Inventory",
            "cmd-1",
            "corr-1",
        )
        assert [(e.event_id, e.event_type, e.payload, e.occurred_at_ms) for e in loaded.events] == [
            (e.event_id, e.event_type, e.payload, e.occurred_at_ms) for e in new
        ]
        assert [e.seq_nr for e in store.load_events(agg)] == [1, 2]

    def test_version_is_the_last_sequence_number(self, store: EventStore, agg: str) -> None:
        assert store.version(agg) == 0
        self.append(store, agg, 0, "A", "B", "C")
        assert store.version(agg) == 3
        self.append(store, agg, 3, "D")
        assert store.version(agg) == 4

    def test_second_append_from_the_same_version_conflicts_and_writes_nothing(
        self, store: EventStore, agg: str
    ) -> None:
        first = self.append(store, agg, 0, "A")
        with pytest.raises(ConcurrencyError) as caught:
            self.append(store, agg, 0, "B", "C")
        assert isinstance(caught.value, DomainConcurrencyError)
        assert caught.value.ids["aggregate_id"] == agg
        assert store.load(agg) == [first]
        assert store.version(agg) == 1

    def test_stale_writer_behind_a_multi_event_entry_conflicts(
        self, store: EventStore, agg: str
    ) -> None:
        self.append(store, agg, 0, "A")
        self.append(store, agg, 1, "B", "C", "D")
        with pytest.raises(ConcurrencyError):
            self.append(store, agg, 1, "E")
        with pytest.raises(ConcurrencyError):
            self.append(store, agg, 0, "E")
        assert [e.event_type for e in store.load_events(agg)] == ["A", "B", "C", "D"]

    def test_multi_event_command_is_one_entry_in_order(self, store: EventStore, agg: str) -> None:
        entry = self.append(store, agg, 0, "A", "B", "C", "D", "E")
        assert (entry.first_seq_nr, entry.last_seq_nr) == (1, 5)
        assert [e.seq_nr for e in entry.events] == [1, 2, 3, 4, 5]
        assert {e.command_id for e in entry.events} == {entry.command_id}
        assert [e.event_type for e in store.load_events(agg)] == ["A", "B", "C", "D", "E"]

    def test_empty_commands_and_negative_versions_are_rejected(
        self, store: EventStore, agg: str
    ) -> None:
        with pytest.raises(ValueError):
            store.append(agg, "Inventory", 0, [], "cmd", "corr")
        with pytest.raises(ValueError):
            self.append(store, agg, -1, "A")
        assert store.load(agg) == []

    def test_load_after_a_version_returns_only_later_events(
        self, store: EventStore, agg: str
    ) -> None:
        self.append(store, agg, 0, "A", "B")
        second = self.append(store, agg, 2, "C", "D", "E")
        third = self.append(store, agg, 5, "F")
        assert store.load(agg, after_version=2) == [second, third]
        assert store.load(agg, after_version=3) == [second, third]
        assert [e.event_type for e in store.load_events(agg, after_version=3)] == ["D", "E", "F"]
        assert store.load(agg, after_version=6) == []

    def test_retried_append_of_the_same_command_returns_the_stored_entry(
        self, store: EventStore, agg: str
    ) -> None:
        first = self.append(store, agg, 0, "A", cmd="cmd-retry")
        assert self.append(store, agg, 0, "A", cmd="cmd-retry") == first
        assert store.load(agg) == [first]

    def test_an_entry_is_read_back_by_its_key(self, store: EventStore, agg: str) -> None:
        self.append(store, agg, 0, "A", cmd="cmd-a")
        b = self.append(store, agg, 1, "B", "C", cmd="cmd-b")
        assert store.entry_at(agg, 2) == b
        assert store.entry_at(agg, 3) is None  # inside an entry: not a key
        assert store.entry_at(agg, 9) is None
        assert store.entry_at(new_id("other"), 2) is None

    def test_each_command_keeps_its_fingerprint_in_the_entry(
        self, store: EventStore, agg: str
    ) -> None:
        a = [replace(e, fingerprint="fp-a") for e in events("A1", "A2")]
        c = [replace(e, command_id="cmd-c", fingerprint="fp-c") for e in events("C")]
        entry = store.append(agg, "Inventory", 0, [*a, *c], "cmd-a", "corr")
        assert entry.fingerprints == (("cmd-a", "fp-a"), ("cmd-c", "fp-c"))
        [loaded] = store.load(agg)
        assert loaded == entry
        assert loaded.fingerprint_of("cmd-c") == "fp-c"
        part = entry.part("cmd-c")
        assert part is not None and part.fingerprints == (("cmd-c", "fp-c"),)
        plain = self.append(store, agg, 3, "D", cmd="cmd-d")  # written without one
        assert plain.fingerprints == () and plain.fingerprint_of("cmd-d") is None
        assert store.follow(agg, 3) == [plain]

    def test_an_entry_of_several_commands_is_one_item_each_event_naming_its_command(
        self, store: EventStore, agg: str
    ) -> None:
        self.append(store, agg, 0, "A", cmd="cmd-a")
        b, c = events("B1", "B2"), events("C1")
        grouped = [*b, *(replace(e, command_id="cmd-c") for e in c)]
        entry = store.append(agg, "Inventory", 1, grouped, "cmd-b", "corr-b")
        assert (entry.first_seq_nr, entry.last_seq_nr, entry.command_ids) == (
            2,
            4,
            ("cmd-b", "cmd-c"),
        )
        assert store.load(agg, after_version=1) == [entry]
        assert store.follow(agg, after_version=1) == [entry]
        assert [(e.seq_nr, e.command_id) for e in store.load_events(agg)] == [
            (1, "cmd-a"), (2, "cmd-b"), (3, "cmd-b"), (4, "cmd-c")]  # fmt: skip
        found_b, found_c = entry.part("cmd-b"), entry.part("cmd-c")
        assert found_b is not None and found_c is not None
        assert (found_b.first_seq_nr, found_b.last_seq_nr, found_b.command_ids) == (
            2,
            3,
            ("cmd-b",),
        )
        assert (found_c.first_seq_nr, found_c.last_seq_nr, found_c.command_ids) == (
            4,
            4,
            ("cmd-c",),
        )
        assert [e.event_type for e in found_c.events] == ["C1"]
        # a retried group append finds its first command in the slot: success, unchanged
        assert store.append(agg, "Inventory", 1, grouped, "cmd-b", "corr-b") == entry
        with pytest.raises(ConcurrencyError):
            store.append(agg, "Inventory", 1, events("X"), "cmd-c", "corr-x")

    def test_an_entry_must_start_with_its_own_command(self, store: EventStore, agg: str) -> None:
        foreign = [replace(e, command_id="cmd-other") for e in events("A")]
        with pytest.raises(ValueError):
            store.append(agg, "Inventory", 0, foreign, "cmd-a", "c1")

    def test_an_invented_version_leaves_a_gap_that_load_detects(
        self, store: EventStore, agg: str
    ) -> None:
        self.append(store, agg, 0, "A")
        self.append(store, agg, 5, "B")
        with pytest.raises(CorruptJournalError):
            store.load(agg)

    def test_following_entry_keys_reads_what_load_reads(self, store: EventStore, agg: str) -> None:
        self.append(store, agg, 0, "A", "B")
        self.append(store, agg, 2, "C")
        self.append(store, agg, 3, "D", "E", "F")
        for after in (0, 2, 3, 6):  # the entry boundaries
            assert store.follow(agg, after) == store.load(agg, after), after
        assert store.follow(f"{agg}-none") == []

    def test_events_after_any_position_inside_an_entry_or_beyond_the_head(
        self, store: EventStore, agg: str
    ) -> None:
        self.append(store, agg, 0, "A", "B")
        self.append(store, agg, 2, "C")
        self.append(store, agg, 3, "D", "E", "F")
        every = [e.seq_nr for e in store.load_events(agg)]
        assert every == [1, 2, 3, 4, 5, 6]
        for after in range(8):
            assert [e.seq_nr for e in store.load_events(agg, after)] == every[after:], after
        assert store.load_events(f"{agg}-none", 3) == []

    def test_following_a_long_journal_crosses_every_batch_of_keys(
        self, store: EventStore, agg: str
    ) -> None:
        expected = 0
        for n in range(130):  # entries of 1-3 events: keys are not consecutive
            expected = self.append(store, agg, expected, *["E"] * (1 + n % 3)).last_seq_nr
        assert store.follow(agg) == store.load(agg)
        middle = store.load(agg)[57].last_seq_nr
        assert store.follow(agg, middle) == store.load(agg, middle)
        assert store.follow(agg, expected) == []
        inside = store.load(agg)[100].first_seq_nr + 1  # inside or just after an entry
        assert store.load_events(agg, inside) == events_after(store.load(agg), inside)

    def test_racing_writers_leave_a_gap_free_journal(self, store: EventStore, agg: str) -> None:
        writers, per_writer = 8, 5
        successes: list[tuple[str, JournalEntry]] = []
        failed: list[str] = []
        start = threading.Barrier(writers)
        lock = threading.Lock()

        def write(n: int) -> None:
            start.wait()
            expected, done = 0, 0
            while done < per_writer:
                cmd = new_id(f"w{n}")
                try:
                    entry = self.append(store, agg, expected, *["E"] * (1 + done % 3), cmd=cmd)
                except ConcurrencyError:
                    with lock:
                        failed.append(cmd)
                    expected = store.version(agg)
                    continue
                with lock:
                    successes.append((cmd, entry))
                expected, done = entry.last_seq_nr, done + 1

        threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads)
        journal = store.load(agg)
        assert len(successes) == writers * per_writer == len(journal)
        assert [e.seq_nr for e in store.load_events(agg)] == list(
            range(1, journal[-1].last_seq_nr + 1)
        )
        assert sorted(e.command_id for e in journal) == sorted(cmd for cmd, _ in successes)
        assert sorted(successes, key=lambda s: s[1].first_seq_nr) == [
            (e.command_id, e) for e in journal
        ]
        assert not {e.command_id for e in journal} & set(failed)
        assert len(failed) >= writers - 1  # every writer's first try was from version 0

    def test_moved_since_names_the_aggregates_with_later_entries(
        self, store: EventStore, agg: str
    ) -> None:
        other, untouched = new_id("inv"), new_id("inv")
        self.append(store, agg, 0, "InventoryCreated_V1", "StockReceived_V1")
        self.append(store, other, 0, "InventoryCreated_V1")
        self.append(store, other, 1, "StockReceived_V1")
        many = {new_id("inv"): 0 for _ in range(120)}  # more than one round trip holds
        asked = {agg: 2, other: 1, untouched: 0, **many}
        assert store.moved_since(asked) == {other}
        assert store.moved_since({agg: 0, other: 2}) == {agg}
        assert store.moved_since({}) == set()
