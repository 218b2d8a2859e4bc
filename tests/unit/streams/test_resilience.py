"""Infrastructure failures are retried, then answered as INTERNAL; the worker never dies."""

from __future__ import annotations

from connectors.eventstore import CommandOutcome, InMemoryOutcomeStore
from streams.handling import handle_with_retries
from tests.unit.streams.builders import create_product, envelope
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


def test_a_transient_failure_is_retried_until_the_command_is_accepted(stores: Stores) -> None:
    stores.outcomes = FlakyOutcomeStore(failures=2)
    slept: list[float] = []
    outcome = handle_with_retries(stores.handler(), envelope(create_product("PRD-000007")),
                                  backoff_s=(0.1, 0.2, 0.3), sleep=slept.append)  # fmt: skip
    assert outcome.status == "ACCEPTED"
    assert slept == [0.1, 0.2]


def test_a_lasting_failure_ends_in_an_internal_rejection_that_is_not_recorded(
    stores: Stores,
) -> None:
    stores.outcomes = FlakyOutcomeStore(failures=10)
    sent = envelope(create_product("PRD-000007"))
    outcome = handle_with_retries(stores.handler(), sent, backoff_s=(0.0,), sleep=lambda _: None)
    assert (outcome.status, outcome.error_code) == ("REJECTED", "INTERNAL")
    stores.outcomes.failures = 0
    assert stores.outcomes.find_outcome(sent.meta.command_id) is None
