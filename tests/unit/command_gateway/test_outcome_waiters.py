"""Correlating records of command.results with waiting mutations (no Kafka involved)."""

from __future__ import annotations

import asyncio
import datetime as dt

from command_gateway.outcomes import OutcomeWaiters
from schemas import CommandOutcome, OutcomeStatus, encode

NOW_MS = 1_800_000_000_000


def outcome_bytes(command_id: str, version: int = 2, aggregate_id: str = "TKY") -> bytes:
    return encode(CommandOutcome(
        command_id=command_id, aggregate_id=aggregate_id, aggregate_type="warehouse",
        status=OutcomeStatus.ACCEPTED, version=version, completed_at=dt.datetime.now(dt.UTC),
    ))  # fmt: skip


def test_a_record_resolves_every_waiter_of_its_command_id_only() -> None:
    async def scenario() -> None:
        waiters = OutcomeWaiters(floor_ms=NOW_MS)
        first, second, other = waiters.expect("c-1"), waiters.expect("c-1"), waiters.expect("c-2")
        assert waiters.offer(b"c-1", outcome_bytes("c-1"), NOW_MS + 5)
        assert (await first).version == (await second).version == 2
        assert not other.done()
        assert not waiters.offer(b"c-9", outcome_bytes("c-9"), NOW_MS + 5)  # nobody waits

    asyncio.run(scenario())


def test_records_older_than_the_process_start_are_skipped() -> None:
    async def scenario() -> None:
        waiters = OutcomeWaiters(floor_ms=NOW_MS)
        future = waiters.expect("c-1")
        assert not waiters.offer(b"c-1", outcome_bytes("c-1", 1), NOW_MS - 1)
        assert not future.done()
        waiters.offer(b"c-1", outcome_bytes("c-1", 7), NOW_MS)
        assert (await future).version == 7

    asyncio.run(scenario())


def test_an_undecodable_record_resolves_nothing_and_a_forgotten_waiter_is_dropped() -> None:
    async def scenario() -> None:
        waiters = OutcomeWaiters(floor_ms=0)
        future = waiters.expect("c-1")
        assert not waiters.offer(b"c-1", b"\xc3\x01garbage", 1)
        assert not future.done()
        waiters.forget("c-1", future)
        assert not waiters.offer(b"c-1", outcome_bytes("c-1"), 1)

    asyncio.run(scenario())


def test_a_waiter_is_resolved_only_by_an_outcome_for_its_own_aggregate() -> None:
    async def scenario() -> None:
        waiters = OutcomeWaiters(floor_ms=0)
        mine = waiters.expect("key-1", "warehouse", "OSK")
        # the same id answered for another aggregate (the key's first command): not ours
        assert not waiters.offer(b"key-1", outcome_bytes("key-1", 5, aggregate_id="TKY"), 1)
        assert not mine.done()
        assert waiters.offer(b"key-1", outcome_bytes("key-1", 1, aggregate_id="OSK"), 1)
        assert (await mine).aggregate_id == "OSK"

    asyncio.run(scenario())


def test_two_commands_racing_under_one_key_each_get_their_own_answer() -> None:
    def answer(status: OutcomeStatus, code: str | None = None) -> bytes:
        return encode(CommandOutcome(
            command_id="K", aggregate_id="TKY", aggregate_type="warehouse", status=status,
            error_code=code, completed_at=dt.datetime.now(dt.UTC),
        ))  # fmt: skip

    def of(fingerprint: str) -> list[tuple[str, bytes]]:
        return [("zaiko-command-fingerprint", fingerprint.encode())]

    async def scenario() -> None:
        waiters = OutcomeWaiters(floor_ms=NOW_MS)
        ten = waiters.expect("K", "warehouse", "TKY", "fp-10")
        seven = waiters.expect("K", "warehouse", "TKY", "fp-7")
        assert waiters.offer(b"K", answer(OutcomeStatus.ACCEPTED), NOW_MS + 1, of("fp-10"))
        assert ten.done() and not seven.done()
        reused = answer(OutcomeStatus.REJECTED, "IDEMPOTENCY_KEY_REUSED")
        assert waiters.offer(b"K", reused, NOW_MS + 2, of("fp-7"))
        assert (await ten).status == OutcomeStatus.ACCEPTED
        assert (await seven).error_code == "IDEMPOTENCY_KEY_REUSED"
        # a record from a worker without the header is matched on the aggregate alone
        old = waiters.expect("K", "warehouse", "TKY", "fp-3")
        assert waiters.offer(b"K", answer(OutcomeStatus.ACCEPTED), NOW_MS + 3)
        assert old.done()

    asyncio.run(scenario())
