"""A batch is finished only once its answers are published; a stopping worker gives it up."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import faust
import pytest

from domain.fingerprint import fingerprint
from schemas import encode
from streams.handling import BatchAbandoned
from streams.runtime import CommandRuntime
from tests.unit.streams.builders import create_product, envelope
from tests.unit.streams.conftest import Stores


class FlakyTopic:
    """A topic whose sends fail ``failures`` times before the broker takes them."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.published: list[bytes] = []

    def get_topic_name(self) -> str:
        return "command.results"

    async def send(self, key: bytes, value: bytes, headers: dict[str, bytes]) -> Any:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.failures > 0:
            self.failures -= 1
            done.set_exception(ConnectionError("broker unreachable"))
        else:
            self.published.append(key)
            done.set_result(None)
        return done


@dataclass
class Message:
    value: bytes
    key: bytes = b"PRD-000001"
    topic: str = "product.commands"
    partition: int = 0
    offset: int = 0
    timestamp: float = 0.0


@pytest.fixture
def fast_pauses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_sleep = asyncio.sleep

    async def no_wait(_: float) -> None:
        await real_sleep(0)

    monkeypatch.setattr("streams.runtime.asyncio.sleep", no_wait)
    yield


def runtime(stores: Stores, topic: FlakyTopic, stopping: bool = False) -> CommandRuntime:
    app = faust.App("publish-test", broker="kafka://127.0.0.1:1", autodiscover=False)
    commands = CommandRuntime(app, stores.handler(), threads=2, parallelism=2)
    commands.results = topic  # type: ignore[assignment]
    commands.stopping = lambda: stopping
    return commands


def test_a_batch_returns_only_once_every_answer_is_published(
    stores: Stores, fast_pauses: None
) -> None:
    topic = FlakyTopic(failures=12)  # longer than the five attempts there used to be
    sent = envelope(create_product("PRD-000001"))
    commands = runtime(stores, topic)
    try:
        asyncio.run(commands.process_batch("product", [Message(encode(sent))]))
    finally:
        commands.shutdown()
    assert topic.published == [sent.meta.command_id.encode()]


def test_a_stopping_worker_gives_an_unpublished_batch_up(stores: Stores, fast_pauses: None) -> None:
    topic = FlakyTopic(failures=1_000_000)
    commands = runtime(stores, topic, stopping=True)
    try:
        with pytest.raises(BatchAbandoned):
            message = Message(encode(envelope(create_product("PRD-000001"))))
            asyncio.run(commands.process_batch("product", [message]))
    finally:
        commands.shutdown()
    assert topic.published == []


def test_an_outcome_names_the_command_it_answers_in_a_header(stores: Stores) -> None:
    commands = runtime(stores, FlakyTopic(failures=0))
    try:
        sent = envelope(create_product("PRD-000001"))
        outcome = stores.handler().handle(sent)
        _, key, _, headers = commands.outcome_message(outcome, fingerprint(sent.command))
        assert key == sent.meta.command_id.encode()
        assert headers["zaiko-command-fingerprint"] == fingerprint(sent.command).encode()
        assert "zaiko-command-fingerprint" not in commands.outcome_message(outcome)[3]
    finally:
        commands.shutdown()
