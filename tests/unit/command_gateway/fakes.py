"""In-memory ports and an in-process ASGI caller for the Command API's unit tests."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from command_gateway.auth import ApiKeys
from command_gateway.bootstrap import Gateway, bootstrap
from command_gateway.ports import CompanyExistsError, CompanyNotFoundError
from command_gateway.settings import CommandGatewaySettings
from domain.company import Company
from domain.messages import aggregate_type_of
from schemas import CommandEnvelope, CommandOutcome, OutcomeStatus

Answer = Callable[[CommandEnvelope[Any]], CommandOutcome | None]


def accept(envelope: CommandEnvelope[Any], version: int = 1) -> CommandOutcome:
    """Return the outcome a worker gives an accepted command."""
    return CommandOutcome(
        command_id=envelope.meta.command_id, aggregate_id=envelope.meta.aggregate_id,
        aggregate_type=aggregate_type_of(envelope.command), status=OutcomeStatus.ACCEPTED,
        version=version, event_types=("SomethingHappened_V1",),
        completed_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip


def reject(code: str, message: str) -> Answer:
    """Return an answer that rejects every command with ``code``."""

    def answer(envelope: CommandEnvelope[Any]) -> CommandOutcome:
        return CommandOutcome(
            command_id=envelope.meta.command_id, aggregate_id=envelope.meta.aggregate_id,
            aggregate_type=aggregate_type_of(envelope.command), status=OutcomeStatus.REJECTED,
            error_code=code, message=message, completed_at=dt.datetime.now(dt.UTC),
        )  # fmt: skip

    return answer


@dataclass
class FakeCommandBus:
    """Records what would be produced and answers with ``answer`` (None = no outcome)."""

    answer: Answer = accept
    up: bool = True
    sent: list[CommandEnvelope[Any]] = field(default_factory=list)

    async def dispatch(self, envelope: CommandEnvelope[Any], timeout_s: float) -> Any:
        self.sent.append(envelope)
        return self.answer(envelope)

    async def reachable(self, timeout_s: float) -> bool:
        return self.up


@dataclass
class FakeCompanyStore:
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def create(self, company: Company) -> Mapping[str, Any]:
        if company.company_id in self.rows:
            raise CompanyExistsError(company.company_id)
        self.rows[company.company_id] = vars(company).copy()
        return self.rows[company.company_id]

    async def get(self, company_id: str) -> Mapping[str, Any] | None:
        return self.rows.get(company_id)

    async def update(self, company: Company) -> Mapping[str, Any]:
        if company.company_id not in self.rows:
            raise CompanyNotFoundError(company.company_id)
        self.rows[company.company_id] = vars(company).copy()
        return self.rows[company.company_id]

    async def delete(self, company_id: str) -> bool:
        return self.rows.pop(company_id, None) is not None

    async def reachable(self, timeout_s: float) -> bool:
        return True


def gateway(
    bus: FakeCommandBus | None = None, keys: str | None = None, **settings: Any
) -> tuple[Gateway, FakeCommandBus, FakeCompanyStore]:
    """Bootstrap the real app over in-memory ports."""
    bus, store = bus or FakeCommandBus(), FakeCompanyStore()
    config = CommandGatewaySettings(api_keys=keys, **settings)
    built = bootstrap(config, commands=bus, companies=store, keys=ApiKeys.parse(keys))
    return built, bus, store


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    app: Any, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
) -> Response:
    """Send one HTTP request through the ASGI app, in process."""
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    raw.append((b"content-length", str(len(body)).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": raw, "client": ("127.0.0.1", 1),
             "server": ("test", 80)}  # fmt: skip
    chunks = [{"type": "http.request", "body": body, "more_body": False}]
    status, out = 0, bytearray()

    async def receive() -> dict[str, Any]:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            out.extend(message.get("body", b""))

    asyncio.run(app(scope, receive, send))
    return Response(status, bytes(out))


def graphql(
    app: Any, query: str, variables: Mapping[str, Any] | None = None, key: str | None = None
) -> Response:
    """POST a GraphQL request."""
    headers = {"content-type": "application/json", **({"X-API-Key": key} if key else {})}
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    return call(app, "POST", "/api/graphql", body, headers)


def codes(response: Response) -> list[str]:
    """Return the ``extensions.code`` of every error."""
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]
