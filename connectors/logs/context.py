"""What a log line knows about the work in hand: command id, correlation id, aggregate id."""

from __future__ import annotations

from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

# One mutable dict per scope: a scope's fields bound later by code running in a copied
# context (an executor thread, a child task) still reach the scope's own lines, e.g.
# the command id a mutation creates reaches the gateway's access line for the request.
_fields: ContextVar[dict[str, Any] | None] = ContextVar("zaiko_log_context", default=None)


class log_context:  # lower case: used like a function, `with log_context(command_id=…):`
    """Give every line logged inside the block these fields (a new scope; None is skipped).

    A plain class rather than ``contextlib.contextmanager``: the worker enters one per
    command group, and this costs about a third as much.
    """

    __slots__ = ("_token", "fields")

    def __init__(self, **fields: Any) -> None:
        self.fields = {k: v for k, v in fields.items() if v is not None}
        self._token: Token[dict[str, Any] | None] | None = None

    def __enter__(self) -> dict[str, Any]:
        self._token = _fields.set(self.fields)
        return self.fields

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _fields.reset(self._token)
            self._token = None


def bind(**fields: Any) -> None:
    """Add fields to the current scope (to its lines logged from here on, and its access line).

    Outside any scope, do nothing: a value set there would stay with a pooled thread and
    name the next work it does.
    """
    current = _fields.get()
    if current is not None:
        current.update({k: v for k, v in fields.items() if v is not None})


def current_fields() -> dict[str, Any] | None:
    """Return the fields of the current scope (None outside any); do not modify them."""
    return _fields.get()


def bind_command(command_id: str, aggregate_id: str | None = None) -> None:
    """Bind the command a request created; a request that creates several lists them all."""
    current = _fields.get()
    if current is None:
        return
    if "command_id" not in current:
        bind(command_id=command_id, aggregate_id=aggregate_id)
        return
    current.setdefault("command_ids", [current["command_id"]]).append(command_id)
