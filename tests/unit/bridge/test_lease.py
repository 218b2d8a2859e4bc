"""The bridge lease and fenced checkpoints, on moto's DynamoDB (conditions evaluated for real)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from connectors.bridge.checkpoints import DynamoDBCheckpointStore, read_checkpoint
from connectors.bridge.lease import DynamoDBLease
from connectors.bridge.lease_item import read_lease
from connectors.bridge.ports import Checkpoint, LeaseLostError
from connectors.dynamodb.tables import CHECKPOINTS

TABLE = CHECKPOINTS.name("t-")
TTL_S = 10.0


class Clock:
    """A wall clock and a monotonic clock one test moves by hand."""

    def __init__(self) -> None:
        self.wall = 1_800_000_000.0
        self.mono = 100.0

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_aws():
        c = boto3.client("dynamodb", region_name="ap-northeast-1")
        c.create_table(**CHECKPOINTS.create_kwargs("t-"))
        yield c


def lease(client: Any, owner: str, clock: Clock) -> DynamoDBLease:
    return DynamoDBLease(client, TABLE, "b", owner, TTL_S,
                         clock=lambda: clock.wall, monotonic=lambda: clock.mono)  # fmt: skip


def test_one_bridge_takes_the_lease_and_the_other_stands_by_and_is_shown(client: Any) -> None:
    clock = Clock()
    a, b = lease(client, "a", clock), lease(client, "b", clock)
    assert a.try_acquire() and a.held()
    assert not b.try_acquire() and not b.held()
    view = read_lease(client, TABLE, "b")
    assert view is not None and view.holder == "a" and view.token == a.token
    assert view.waiting(int(clock.wall * 1000), int(TTL_S * 1000)) == ["b"]


def test_a_renewed_lease_stays_with_its_holder(client: Any) -> None:
    clock = Clock()
    a, b = lease(client, "a", clock), lease(client, "b", clock)
    assert a.try_acquire()
    for _ in range(10):
        clock.advance(TTL_S / 4)
        assert a.renew() and a.held()
        assert not b.try_acquire()


def test_a_standby_takes_an_expired_lease_with_a_higher_token(client: Any) -> None:
    clock = Clock()
    a, b = lease(client, "a", clock), lease(client, "b", clock)
    assert a.try_acquire()
    first = a.token
    clock.advance(TTL_S * 0.8)
    assert not a.held(), "the holder stops counting on its hold before the lease expires"
    assert not b.try_acquire(), "nobody else may take it before it expires"
    clock.advance(TTL_S * 0.2)
    assert b.try_acquire()
    assert b.token is not None and first is not None and b.token > first
    assert not a.renew(), "the former holder learns it lost the lease"


def test_a_released_lease_is_taken_at_once(client: Any) -> None:
    clock = Clock()
    a, b = lease(client, "a", clock), lease(client, "b", clock)
    assert a.try_acquire()
    a.release()
    assert not a.held() and b.try_acquire()


def test_two_bridges_taking_an_expired_lease_at_once_get_it_once(client: Any) -> None:
    clock = Clock()
    a, b, c = (lease(client, o, clock) for o in "abc")
    assert a.try_acquire()
    clock.advance(TTL_S + 1)
    seen = read_lease(client, TABLE, "b")
    b._read = lambda: seen  # type: ignore[method-assign]  # both read the expired lease …
    c._read = lambda: seen  # type: ignore[method-assign]
    assert [b.try_acquire(), c.try_acquire()] == [True, False]  # … one write wins


def test_tokens_keep_rising_when_the_table_starts_over(client: Any) -> None:
    clock = Clock()
    a = lease(client, "a", clock)
    assert a.try_acquire()
    first = a.token
    client.delete_item(TableName=TABLE, Key={"checkpoint_id": {"S": "bridge-lease#b"}})
    clock.advance(0.001)
    b = lease(client, "b", clock)
    assert b.try_acquire()
    assert first is not None and b.token is not None and b.token > first


def test_a_paused_holder_can_neither_move_a_checkpoint_back_nor_overwrite_the_new_one(
    client: Any,
) -> None:
    clock, paused = Clock(), Clock()  # the paused bridge's own clocks stand still
    a = lease(client, "a", paused)
    b = lease(client, "b", clock)
    old = DynamoDBCheckpointStore(client, TABLE, a.fence)
    new = DynamoDBCheckpointStore(client, TABLE, b.fence)
    assert a.try_acquire()
    assert old.load("cp") is None
    old.save(Checkpoint("cp", "100", False, 1))

    clock.advance(TTL_S)
    assert b.try_acquire()
    assert a.held(), "paused, the former holder still believes it holds the lease"
    resumed = new.load("cp")  # the takeover resumes from the last checkpoint
    assert resumed is not None and resumed.sequence_number == "100"
    with pytest.raises(LeaseLostError):
        old.save(Checkpoint("cp", "90", False, 2))  # behind: would move it back
    new.save(Checkpoint("cp", "200", False, 3))
    with pytest.raises(LeaseLostError):
        old.save(Checkpoint("cp", "150", False, 4))  # would overwrite the new holder's
    saved = read_checkpoint(client, TABLE, "cp")
    assert saved is not None and saved.sequence_number == "200"


def test_a_checkpoint_written_before_a_takeover_is_where_the_new_holder_resumes(
    client: Any,
) -> None:
    clock, paused = Clock(), Clock()
    a, b = lease(client, "a", paused), lease(client, "b", clock)
    old = DynamoDBCheckpointStore(client, TABLE, a.fence)
    assert a.try_acquire()
    old.save(Checkpoint("cp", "100", False, 1))
    clock.advance(TTL_S)
    assert b.try_acquire()
    old.save(Checkpoint("cp", "120", False, 2))  # before the new holder read it: forward
    resumed = DynamoDBCheckpointStore(client, TABLE, b.fence).load("cp")
    assert resumed is not None and resumed.sequence_number == "120"


def test_without_the_lease_nothing_is_read_or_written(client: Any) -> None:
    clock = Clock()
    store = DynamoDBCheckpointStore(client, TABLE, lease(client, "a", clock).fence)
    with pytest.raises(LeaseLostError):
        store.load("cp")
    with pytest.raises(LeaseLostError):
        store.save(Checkpoint("cp", "1", False, 1))
    assert read_checkpoint(client, TABLE, "cp") is None


def test_standbys_not_seen_for_long_are_dropped_from_the_lease(client: Any) -> None:
    clock = Clock()
    a, b = lease(client, "a", clock), lease(client, "b", clock)
    assert a.try_acquire() and not b.try_acquire()
    for _ in range(16):  # b has gone: it stops trying
        clock.advance(TTL_S / 4)
        assert a.renew()
    view = read_lease(client, TABLE, "b")
    assert view is not None and view.standbys == {}


def test_a_holder_whose_process_ended_on_this_host_is_not_waited_out(client: Any) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    clock = Clock()
    here = socket.gethostname()
    assert lease(client, f"bridge@{here}:{ended.stdout.strip()}", clock).try_acquire()
    successor = lease(client, f"bridge@{here}:{os.getpid()}", clock)
    assert successor.try_acquire(), "a killed bridge's lease goes to its successor at once"


def test_a_holder_on_another_host_is_waited_out(client: Any) -> None:
    clock = Clock()
    assert lease(client, "bridge@another-host:1", clock).try_acquire()
    assert not lease(client, f"bridge@{socket.gethostname()}:{os.getpid()}", clock).try_acquire()


def test_the_holder_writes_its_dead_letter_count_into_the_lease_for_the_status(
    client: Any,
) -> None:
    clock, counted = Clock(), [0]
    holder = DynamoDBLease(
        client,
        TABLE,
        "b",
        "a",
        TTL_S,
        clock=lambda: clock.wall,
        monotonic=lambda: clock.mono,
        dead_lettered=lambda: counted[0],
    )
    assert holder.try_acquire()
    view = read_lease(client, TABLE, "b")
    assert view is not None and view.dead_lettered == 0
    counted[0] = 3
    clock.advance(TTL_S / 4)
    assert holder.renew()
    view = read_lease(client, TABLE, "b")
    assert view is not None and view.dead_lettered == 3
