"""The snapshot-store contract: the highest version is the latest."""

from __future__ import annotations

import uuid

import pytest

from connectors.eventstore import Snapshot, SnapshotStore


class SnapshotStoreContract:
    """Behaviour every ``SnapshotStore`` must have."""

    def make_snapshots(self) -> SnapshotStore:
        raise NotImplementedError

    @pytest.fixture
    def snapshots(self) -> SnapshotStore:
        return self.make_snapshots()

    def test_latest_is_the_snapshot_with_the_highest_version(
        self, snapshots: SnapshotStore
    ) -> None:
        agg = f"inv-{uuid.uuid4().hex}"
        assert snapshots.latest(agg) is None
        snapshots.save(agg, 100, b"\x00state-100")
        snapshots.save(agg, 300, b"\x00state-300\xff")
        snapshots.save(agg, 200, b"\x00state-200")
        assert snapshots.latest(agg) == Snapshot(agg, 300, b"\x00state-300\xff")
        assert snapshots.latest(f"{agg}-other") is None

    def test_a_snapshot_keeps_the_recent_commands_and_an_older_one_never_replaces_it(
        self, snapshots: SnapshotStore
    ) -> None:
        agg = f"inv-{uuid.uuid4().hex}"
        recent = (("cmd-1", 97), ("cmd-2", 98), ("cmd-3", 100))
        snapshots.save(agg, 100, b"s-100", recent)
        snapshots.save(agg, 99, b"s-99", (("cmd-0", 99),))  # a slow writer, late
        assert snapshots.latest(agg) == Snapshot(agg, 100, b"s-100", recent)
        snapshots.save(agg, 101, b"s-101")
        assert snapshots.latest(agg) == Snapshot(agg, 101, b"s-101", ())

    def test_a_snapshot_needs_a_positive_version(self, snapshots: SnapshotStore) -> None:
        with pytest.raises(ValueError):
            snapshots.save("inv-x", 0, b"")
