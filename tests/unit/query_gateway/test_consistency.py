"""A request's tokens share one deadline and a bound; each is awaited once."""

from __future__ import annotations

import asyncio

import pytest

from query_gateway.consistency import Consistency
from query_gateway.errors import Code, GatewayError


class FakePositions:
    """Records each wait; versions below ``reached`` are there, the rest never arrive."""

    def __init__(self, reached: int = 0) -> None:
        self.reached = reached
        self.waits: list[tuple[str, int, float]] = []

    async def wait(self, aggregate_id: str, version: int, deadline: float) -> None:
        self.waits.append((aggregate_id, version, deadline))
        if version > self.reached:
            await asyncio.sleep(max(0.0, deadline - asyncio.get_running_loop().time()))
            raise GatewayError(Code.CONSISTENCY_TIMEOUT, "never arrived")


def test_tokens_waited_for_later_share_the_first_deadline() -> None:
    positions = FakePositions()

    async def main() -> None:
        consistency = Consistency(positions, timeout_s=0.3, max_tokens=8)  # type: ignore[arg-type]
        first = asyncio.ensure_future(consistency.wait("PRD-000001:2"))
        await asyncio.sleep(0.2)
        second = asyncio.ensure_future(consistency.wait("PRD-000002:2"))
        await asyncio.gather(first, second, return_exceptions=True)

    asyncio.run(main())
    (_, _, first), (_, _, second) = positions.waits
    assert first == second


def test_a_token_is_waited_for_once_and_distinct_tokens_are_bounded() -> None:
    positions = FakePositions(reached=5)

    async def main() -> None:
        consistency = Consistency(positions, timeout_s=1.0, max_tokens=2)  # type: ignore[arg-type]
        for token in ("TKY:1", "TKY:1", "OSK:1", "TKY:1"):
            await consistency.wait(token)
        with pytest.raises(GatewayError) as raised:
            await consistency.wait("FUK:1")
        assert raised.value.extensions == {  # type: ignore[comparison-overlap]
            "code": "VALIDATION_ERROR",
            "field": "consistencyToken",
            "maxTokens": 2,
        }

    asyncio.run(main())
    assert [w[:2] for w in positions.waits] == [("TKY", 1), ("OSK", 1)]
