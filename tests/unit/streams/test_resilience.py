"""Failures are retried; an applied command is never answered INTERNAL; the worker never dies."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.eventstore import CommandOutcome, EventStoreError, InMemoryOutcomeStore
from domain import ReceiveStock
from streams.handling import BatchAbandoned, handle_with_retries, resolve_with_retries
from streams.handling.resilience import is_infrastructure
from tests.unit.streams.builders import create_product, envelope, stocked_inventory
from tests.unit.streams.conftest import Stores


class FlakyOutcomeStore(InMemoryOutcomeStore):
    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def find_outcome(self, command_id: str) -> CommandOutcome | None:
        if self.failures > 0:
            self.failures -= 1
            raise TimeoutError("dynamodb did not answer")
        return super().find_outcome(command_id)


class Clock:
    """Records the pauses; tells the retry loop to stop after ``stop_after`` seconds."""

    def __init__(self, stop_after: float = float("inf")) -> None:
        self.slept = 0.0
        self.stop_after = stop_after

    def sleep(self, seconds: float) -> None:
        self.slept += seconds

    def stopping(self) -> bool:
        return self.slept >= self.stop_after


def test_store_and_network_errors_are_infrastructure_and_a_corrupt_journal_is_not() -> None:
    from botocore.exceptions import EndpointConnectionError

    from connectors.eventstore import CorruptJournalError

    assert is_infrastructure(EventStoreError("throttled"))
    assert is_infrastructure(EndpointConnectionError(endpoint_url="http://x"))
    assert is_infrastructure(TimeoutError())
    assert not is_infrastructure(CorruptJournalError("gap"))
    assert not is_infrastructure(KeyError("a bug"))


def test_a_transient_failure_is_retried_until_the_command_is_accepted(stores: Stores) -> None:
    stores.outcomes = FlakyOutcomeStore(failures=2)
    clock = Clock()
    outcome = handle_with_retries(stores.handler(), envelope(create_product("PRD-000007")),
                                  sleep=clock.sleep)  # fmt: skip
    assert outcome.status == "ACCEPTED"
    assert clock.slept == pytest.approx(0.1 + 0.5)


def test_a_lasting_store_failure_is_never_answered_internal(stores: Stores) -> None:
    stores.outcomes = FlakyOutcomeStore(failures=1_000_000)
    clock = Clock(stop_after=600.0)  # ten minutes of an unreachable store, then a shutdown
    sent = envelope(create_product("PRD-000007"))
    with pytest.raises(BatchAbandoned):
        resolve_with_retries(stores.handler(), sent, sleep=clock.sleep, stopping=clock.stopping)
    assert clock.slept >= 600.0
    assert stores.events.version("PRD-000007") == 0


def _failing_fold(stores: Stores, **config: Any) -> Any:
    """A handler whose folding of journal entries always fails (a bug in ``evolve``)."""
    handler = stores.handler(**config)

    def broken(*_: Any) -> Any:
        raise KeyError("a bug in evolve")

    handler.loader.apply = broken  # type: ignore[method-assign]
    return handler


def test_a_bug_ends_in_an_unrecorded_internal_rejection_when_the_journal_lacks_the_command(
    stores: Stores,
) -> None:
    handler = stores.handler()
    for command in stocked_inventory("PRD-000007", "TKY-01"):
        handler.handle(envelope(command))
    sent = envelope(ReceiveStock("PRD-000007@TKY-01", 3))
    clock = Clock()
    resolution = resolve_with_retries(_failing_fold(stores), sent, sleep=clock.sleep)
    assert (resolution.outcome.status, resolution.outcome.error_code) == ("REJECTED", "INTERNAL")
    assert not resolution.fresh  # published, never recorded: a redelivery gets a real answer
    assert clock.slept == pytest.approx(0.1 + 0.5 + 2.0 + 2.0)


def test_a_bug_never_denies_a_command_the_journal_holds(stores: Stores) -> None:
    handler = stores.handler(snapshot_every=2)
    for command in stocked_inventory("PRD-000007", "TKY-01"):
        handler.handle(envelope(command))
    sent = envelope(ReceiveStock("PRD-000007@TKY-01", 3))
    applied = handler.resolve(sent, None)  # appended; the outcome was never recorded
    handler.handle(envelope(ReceiveStock("PRD-000007@TKY-01", 1)))  # then a snapshot at v4
    snapshot = stores.snapshots.latest("PRD-000007@TKY-01")
    assert snapshot is not None and snapshot.version == 4
    resolution = resolve_with_retries(_failing_fold(stores, snapshot_every=2), sent,
                                      sleep=lambda _: None)  # fmt: skip
    assert resolution.outcome.status == "ACCEPTED"
    assert resolution.outcome.version == applied.outcome.version == 3
    assert resolution.fresh and resolution.outcome.fingerprint is not None
