"""The outcome-store contract: first writer wins, singly and in batches."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from connectors.eventstore import CommandOutcome, OutcomeStore


def accepted(command_id: str | None = None, version: int = 3) -> CommandOutcome:
    return CommandOutcome(
        command_id=command_id or f"cmd-{uuid.uuid4().hex}",
        aggregate_id="inv-1",
        aggregate_type="Inventory",
        status="ACCEPTED",
        version=version,
        event_types=("StockReceived_V1", "StockReserved_V1"),
        error_code=None,
        message=None,
        recorded_at_ms=1_700_000_000_000,
    )


def rejected(command_id: str | None = None) -> CommandOutcome:
    return replace(
        accepted(command_id),
        status="REJECTED",
        version=None,
        event_types=(),
        error_code="INSUFFICIENT_STOCK",
        message="有効在庫数が不足しています",
    )


class OutcomeStoreContract:
    """Behaviour every ``OutcomeStore`` must have."""

    def make_outcomes(self) -> OutcomeStore:
        raise NotImplementedError

    @pytest.fixture
    def outcomes(self) -> OutcomeStore:
        return self.make_outcomes()

    def test_recorded_outcomes_are_found_unchanged(self, outcomes: OutcomeStore) -> None:
        ok, no = accepted(), rejected()
        assert outcomes.record_outcome(ok) == ok
        assert outcomes.record_outcome(no) == no
        assert outcomes.find_outcome(ok.command_id) == ok
        assert outcomes.find_outcome(no.command_id) == no
        assert outcomes.find_outcome("cmd-never-seen") is None

    def test_an_outcome_keeps_its_command_fingerprint(self, outcomes: OutcomeStore) -> None:
        bound = replace(accepted(), fingerprint="0123456789abcdef0123456789abcdef")
        outcomes.record_outcomes([bound, replace(rejected(), fingerprint="f" * 32)])
        assert outcomes.find_outcome(bound.command_id) == bound
        assert outcomes.find_outcomes([bound.command_id]) == {bound.command_id: bound}

    def test_the_first_outcome_of_a_command_wins(self, outcomes: OutcomeStore) -> None:
        first = accepted()
        outcomes.record_outcome(first)
        assert outcomes.record_outcome(rejected(first.command_id)) == first
        assert outcomes.find_outcome(first.command_id) == first

    def test_a_batch_records_every_outcome(self, outcomes: OutcomeStore) -> None:
        batch = [accepted(version=n) if n % 2 else rejected() for n in range(1, 61)]
        assert outcomes.record_outcomes(batch) == batch
        assert [outcomes.find_outcome(o.command_id) for o in batch] == batch

    def test_a_batch_keeps_outcomes_already_on_record(self, outcomes: OutcomeStore) -> None:
        earlier = outcomes.record_outcome(accepted())
        later = rejected(earlier.command_id)
        fresh = rejected()
        twice = [fresh, accepted(fresh.command_id)]
        assert outcomes.record_outcomes([later, *twice]) == [earlier, fresh, fresh]
        assert outcomes.find_outcome(earlier.command_id) == earlier
        assert outcomes.find_outcome(fresh.command_id) == fresh
        assert outcomes.record_outcomes([]) == []

    def test_outcomes_are_found_in_bulk_and_missing_ids_are_left_out(
        self, outcomes: OutcomeStore
    ) -> None:
        batch = [accepted(version=n) if n % 2 else rejected() for n in range(1, 131)]
        outcomes.record_outcomes(batch)
        wanted = [o.command_id for o in batch] + ["cmd-never-seen"]
        assert outcomes.find_outcomes(wanted) == {o.command_id: o for o in batch}
        assert outcomes.find_outcomes([]) == {}
