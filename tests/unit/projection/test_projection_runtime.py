"""The projection runtime returns (so the batch is acked) only once its output is published."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest

from schemas import DEAD_LETTER_TOPIC
from streams import runtime as command_runtime
from streams.projection import BatchResult, DeadLetter, Record
from streams.projector.runtime import ProjectionRuntime

RECORD = Record("inventory.events", 0, 12, b"key", b"value", (("h", b"1"),))


class FlakyTopic:
    """A topic whose first ``failures`` sends fail."""

    def __init__(self, name: str, failures: int) -> None:
        self.name, self.failures, self.sent = name, failures, []

    def get_topic_name(self) -> str:
        return self.name

    async def send(self, key: Any, value: Any, headers: Any) -> Any:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("broker unreachable")
        self.sent.append((key, value, headers))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


class FakeApp:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.topics: dict[str, FlakyTopic] = {}

    def topic(self, name: str, **_: Any) -> FlakyTopic:
        return self.topics.setdefault(name, FlakyTopic(name, self.failures))


class Handler:
    def __init__(self, failures: list[Exception]) -> None:
        self.failures, self.calls = failures, 0

    def project(self, records: Any) -> BatchResult:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return BatchResult(dead_letters=[DeadLetter(RECORD, "ProjectionParked: DataError: x")])

    def close(self) -> None:
        pass


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    real_sleep = asyncio.sleep

    async def instant(_: float) -> None:
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", instant)
    monkeypatch.setattr(command_runtime.asyncio, "sleep", instant)


def test_a_failing_dead_letter_publish_is_retried_until_the_broker_takes_it() -> None:
    app, handler = FakeApp(failures=12), Handler([])
    runtime = ProjectionRuntime(app, {"inventory": lambda: handler})
    try:
        asyncio.run(runtime.process("inventory", [RECORD]))
    finally:
        runtime.close()
    dead = app.topics[DEAD_LETTER_TOPIC]
    assert dead.failures == 0 and len(dead.sent) == 1  # > the publish's own 5 attempts
    assert handler.calls == 1  # projected once; the same output is published
    assert dead.sent[0][2]["h"] == b"1"


def test_a_transient_projection_failure_is_retried_on_a_fresh_handler() -> None:
    handlers: list[Handler] = []

    def make() -> Handler:
        failures: list[Exception] = [psycopg.OperationalError("gone")] if not handlers else []
        handlers.append(Handler(failures))
        return handlers[-1]

    runtime = ProjectionRuntime(FakeApp(failures=0), {"inventory": make})
    try:
        result = asyncio.run(runtime.process("inventory", [RECORD]))
    finally:
        runtime.close()
    assert len(handlers) == 2 and len(result.dead_letters) == 1


def test_backoff_doubles_and_is_capped() -> None:
    runtime = ProjectionRuntime(FakeApp(0), {}, backoff_max_s=3.0)
    try:
        assert [runtime.backoff(a) for a in (1, 2, 3, 4, 10)] == [0.4, 0.8, 1.6, 3.0, 3.0]
    finally:
        runtime.close()
