"""Read-your-writes: a request waits until the read model has applied its tokens' versions.

The Command API returns ``consistencyToken`` = ``"<aggregateId>:<version>"`` for an
accepted command. A root field passing it waits until 投影位置 reaches the version. A
request has one deadline for all its tokens (``read_your_writes_timeout_s`` from its
first wait) and at most ``max_consistency_tokens`` distinct tokens; each is awaited
once per request, and all waits of the process share one poll (positions.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from connectors.graphql.tokens import MalformedTokenError, Token, parse_token
from query_gateway.errors import Code, GatewayError
from query_gateway.positions import PositionPoller


def checked_token(text: str) -> Token:
    """Return the token ``text`` stands for; VALIDATION_ERROR when malformed."""
    try:
        return parse_token(text)
    except MalformedTokenError as e:
        raise GatewayError(Code.VALIDATION_ERROR, str(e), field="consistencyToken") from None


@dataclass
class Consistency:
    """The tokens of one request, their shared deadline, and their waits."""

    positions: PositionPoller
    timeout_s: float
    max_tokens: int
    deadline: float | None = None
    waits: dict[Token, asyncio.Future[None]] = field(default_factory=dict)

    async def wait(self, text: str) -> Token:
        """Return the token once the read model reflects it (typed errors otherwise)."""
        token = checked_token(text)
        wait = self.waits.get(token)
        if wait is None:
            if len(self.waits) >= self.max_tokens:
                raise GatewayError(
                    Code.VALIDATION_ERROR,
                    f"a request may wait for at most {self.max_tokens} distinct"
                    " consistencyTokens; keep the latest of each aggregate",
                    field="consistencyToken",
                    maxTokens=self.max_tokens,
                )
            loop = asyncio.get_running_loop()
            if self.deadline is None:
                self.deadline = loop.time() + self.timeout_s
            waiting = self.positions.wait(token.aggregate_id, token.version, self.deadline)
            wait = self.waits[token] = asyncio.ensure_future(waiting)
        await asyncio.shield(wait)
        return token
