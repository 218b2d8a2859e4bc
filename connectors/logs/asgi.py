"""Each gateway's request scope: a correlation id per request and one access line."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from connectors.logs.context import log_context

REQUEST_ID_HEADER = "X-Request-Id"
_HEADER = REQUEST_ID_HEADER.lower().encode()
# what a client may pass as its request id; anything else is replaced (no log injection)
_ACCEPTED_ID = re.compile(rb"[A-Za-z0-9._:@/+=-]{1,128}")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("zaiko.access")


class AccessLog:
    """ASGI middleware: correlation id from ``X-Request-Id`` (or a new one), echoed back.

    Every line logged while the request runs carries it as ``correlation_id`` (plus
    whatever the handlers ``bind``, e.g. the command id a mutation creates); with
    ``enabled``, one access line per request follows, with method, path, status,
    duration_ms and client as fields (it replaces uvicorn's, which has no duration).
    """

    def __init__(self, app: App, enabled: bool = True) -> None:
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request inside its log scope; log its access line."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope.get("headers") or ())
        header = (_HEADER, request_id.encode())
        status = 500  # what the server answers if the app fails before responding
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        with log_context(correlation_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                if self.enabled:
                    _log_access(scope, status, time.perf_counter() - started)


def _request_id(headers: Any) -> str:
    for name, value in headers:
        if name == _HEADER and _ACCEPTED_ID.fullmatch(value):
            return str(value.decode("ascii"))
    return str(uuid.uuid4())


def _log_access(scope: Scope, status: int, elapsed_s: float) -> None:
    client = scope.get("client")
    fields = {
        "method": scope.get("method"),
        "path": scope.get("path"),
        "status": status,
        "duration_ms": round(elapsed_s * 1000, 3),
        "client": f"{client[0]}:{client[1]}" if client else None,
    }
    access_log.info("%s %s %d", fields["method"], fields["path"], status,
                    extra={"fields": fields})  # fmt: skip
