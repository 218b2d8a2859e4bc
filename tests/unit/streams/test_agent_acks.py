"""An agent interrupted mid-batch leaves the batch unacknowledged (Faust's own streams, no Kafka).

Faust's ``take_events`` and ``events()`` ack what they handed out in a ``finally``, so a
cancelled agent used to ack a batch it never finished and the consumer committed past
it. The agents now hold a reference to each message until their loop body returned.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from typing import Any

import faust
import pytest
from faust.types import TP, Message

from streams.agents.acks import processed_events
from streams.agents.common import command_agent
from streams.agents.projections import projection_agent
from streams.handling import BatchAbandoned

MESSAGES = 5


class BlockingRuntime:
    """Stands in for the command and projection runtimes: the first batch hangs if told to."""

    batch_size = 100
    batch_within_s = 0.02

    def __init__(self, hang: bool) -> None:
        self.hang = hang
        self.stopped = False
        self.batches: list[int] = []
        self.started = asyncio.Event()

    async def process_batch(self, _: str, messages: list[Any]) -> None:
        self.batches.append(len(messages))
        self.started.set()
        if self.hang:
            await asyncio.Event().wait()  # e.g. the journal does not answer

    async def process(self, aggregate_type: str, records: list[Any]) -> None:
        await self.process_batch(aggregate_type, records)

    def stopping(self) -> bool:
        return self.stopped


async def _feed(app: faust.App, channel: Any) -> list[Message]:
    messages = []
    for offset in range(MESSAGES):
        message = Message("inventory.commands", 0, offset, 0.0, 0, None, b"k", b"v", None,
                          tp=TP("inventory.commands", 0),
                          generation_id=app.consumer_generation_id)  # fmt: skip
        message.incref()  # what Faust's conductor does for the one stream reading it
        messages.append(message)
        await channel.put(faust.Event(app, b"k", b"v", None, message))
    return messages


async def _run(loop_body: Callable[[Any], Awaitable[None]], runtime: BlockingRuntime) -> list[Any]:
    """Run an agent over five messages until its first batch started; stop it; return them."""
    app = faust.App("acks-test", broker="kafka://127.0.0.1:1", store="memory://",
                    autodiscover=False)  # fmt: skip
    app.flow_control.resume()
    channel = app.channel()
    stream = app.stream(channel)
    messages = await _feed(app, channel)
    task = asyncio.create_task(loop_body(stream))
    await asyncio.wait_for(runtime.started.wait(), 10)
    if not runtime.hang:
        for _ in range(100):  # the loop comes back for the next batch: the acks happen
            if all(m.acked for m in messages):
                break
            await asyncio.sleep(0.01)
    task.cancel()  # what stopping the agent does
    await asyncio.gather(task, return_exceptions=True)
    gc.collect()  # Faust's ``finally`` runs when the abandoned generator is finalised
    for _ in range(5):
        await asyncio.sleep(0.01)
    return messages


def _command_agent(runtime: BlockingRuntime) -> Callable[[Any], Awaitable[None]]:
    app = faust.App("acks-agents", broker="kafka://127.0.0.1:1", autodiscover=False)
    return command_agent(app, runtime, "inventory").fun  # type: ignore[arg-type,no-any-return]


def _projection_agent(runtime: BlockingRuntime) -> Callable[[Any], Awaitable[None]]:
    app = faust.App("acks-agents", broker="kafka://127.0.0.1:1", autodiscover=False)
    agent = projection_agent(app, runtime, "inventory", 100, 0.02)  # type: ignore[arg-type]
    return agent.fun  # type: ignore[no-any-return]


AGENTS = pytest.mark.parametrize("make", [_command_agent, _projection_agent],
                                 ids=["command agent", "projection agent"])  # fmt: skip


@AGENTS
def test_an_agent_stopped_mid_batch_acks_none_of_it(make: Any) -> None:
    runtime = BlockingRuntime(hang=True)
    messages = asyncio.run(_run(make(runtime), runtime))
    assert runtime.batches == [MESSAGES]
    assert [m.acked for m in messages] == [False] * MESSAGES


@AGENTS
def test_an_agent_acks_a_batch_once_it_was_processed(make: Any) -> None:
    runtime = BlockingRuntime(hang=False)
    messages = asyncio.run(_run(make(runtime), runtime))
    assert [m.acked for m in messages] == [True] * MESSAGES


def test_faust_alone_acks_a_batch_its_agent_never_finished() -> None:
    """Why the helpers exist: plain ``take_events`` acks on the way out."""

    async def plain(stream: Any) -> None:
        async for _ in stream.take_events(100, within=0.02):
            runtime.started.set()
            await asyncio.Event().wait()

    runtime = BlockingRuntime(hang=True)
    messages = asyncio.run(_run(plain, runtime))
    assert all(m.acked for m in messages)


@pytest.mark.parametrize("finish", [False, True], ids=["stopped", "finished"])
def test_events_one_by_one_are_acked_only_once_processed(finish: bool) -> None:
    runtime = BlockingRuntime(hang=not finish)

    async def one_by_one(stream: Any) -> None:
        async for event in processed_events(stream):
            await runtime.process_batch("inventory", [event.message])

    messages = asyncio.run(_run(one_by_one, runtime))
    if finish:
        assert all(m.acked for m in messages)
    else:
        assert runtime.batches == [1]
        assert not any(m.acked for m in messages)


class AbandoningRuntime(BlockingRuntime):
    """The worker stops while the first batch cannot be answered: it is given up."""

    async def process_batch(self, aggregate_type: str, messages: list[Any]) -> None:
        await super().process_batch(aggregate_type, messages)
        self.stopped = True
        raise BatchAbandoned


def test_a_batch_given_up_on_shutdown_and_every_later_one_stay_unacknowledged() -> None:
    runtime = AbandoningRuntime(hang=False)

    async def scenario() -> tuple[list[Message], list[Message]]:
        app = faust.App("acks-abandon", broker="kafka://127.0.0.1:1", store="memory://",
                        autodiscover=False)  # fmt: skip
        app.flow_control.resume()
        channel = app.channel()
        stream = app.stream(channel)
        first = await _feed(app, channel)
        task = asyncio.create_task(_command_agent(runtime)(stream))
        await asyncio.wait_for(runtime.started.wait(), 10)
        later = await _feed(app, channel)  # taken while stopping: never processed
        for _ in range(50):
            await asyncio.sleep(0.01)
        assert not task.done()  # the agent keeps taking batches; Faust's shutdown needs it
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        gc.collect()
        return first, later

    first, later = asyncio.run(scenario())
    assert runtime.batches == [MESSAGES]
    assert not any(m.acked for m in first + later)


def test_a_batch_given_up_is_no_longer_waited_for_by_the_consumer() -> None:
    """Faust's shutdown waits until the consumer's messages in flight are acked or gone."""
    runtime = AbandoningRuntime(hang=False)

    async def scenario() -> tuple[list[Message], set[Message]]:
        app = faust.App("acks-gone", broker="kafka://127.0.0.1:1", store="memory://",
                        autodiscover=False)  # fmt: skip
        app.flow_control.resume()
        channel = app.channel()
        stream = app.stream(channel)
        messages = await _feed(app, channel)
        app.consumer.unacked.update(messages)  # what Faust's stream does as it takes them
        task = asyncio.create_task(_command_agent(runtime)(stream))
        await asyncio.wait_for(runtime.started.wait(), 10)
        for _ in range(20):
            await asyncio.sleep(0.01)
        in_flight = set(app.consumer.unacked)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return messages, in_flight

    messages, in_flight = asyncio.run(scenario())
    assert not in_flight & set(messages)
    assert not any(m.acked for m in messages)
