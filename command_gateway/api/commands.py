"""One mutation per public command: validate, produce, await the outcome, answer."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

import graphene

from command_gateway.api.context import RequestContext
from command_gateway.api.inputs import field_names, input_type
from command_gateway.auth import Permission
from command_gateway.errors import (
    IDEMPOTENCY_KEY_REUSED,
    REJECTED,
    TIMEOUT,
    UNAVAILABLE,
    VALIDATION_ERROR,
    GatewayError,
    camel,
    validation_error,
)
from command_gateway.ports import KafkaUnavailableError
from connectors.logs import bind_command
from domain import limits
from domain.checks import text
from domain.errors import DomainError, ValidationError
from domain.message import Command
from domain.messages import AGGREGATE_OF_COMMAND, COMMANDS, aggregate_id_of
from schemas import CommandEnvelope, CommandMeta, CommandOutcome, now_millis

# The transfer process manager's own steps (docs/domain.md "Transfers"): a caller starts a
# transfer with TransferStockOut; the worker sends the destination leg and the settlement.
INTERNAL_COMMANDS = frozenset({"TransferStockIn", "CompleteTransfer", "CompensateTransfer"})
PUBLIC_COMMANDS: Mapping[str, type[Command]] = {
    name: cls for name, cls in COMMANDS.items() if name not in INTERNAL_COMMANDS
}
COMMAND_ID = re.compile(rf"^[A-Za-z0-9_.:@/+=-]{{1,{limits.COMMAND_ID_LENGTH}}}$")
CORRELATION_ID = text(limits.CORRELATION_ID_LENGTH, blank_ok=True)
IDEMPOTENCY_KEY_DOC = (
    "Becomes the command id: a retry with the same key and the same command (same "
    "aggregate, same input) never applies twice and gets the first outcome. The same key "
    "with another command changes nothing and fails with extensions.code "
    "IDEMPOTENCY_KEY_REUSED; the key keeps its first command."
)


class CommandResult(graphene.ObjectType):  # type: ignore[misc]
    """An accepted command: the aggregate's version after it, and a read-your-writes token."""

    command_id = graphene.String(required=True)
    aggregate_type = graphene.String(required=True)
    aggregate_id = graphene.String(required=True)
    version = graphene.Int(description="The aggregate's version (sequence number) after it.")
    event_types = graphene.List(graphene.NonNull(graphene.String), required=True)
    consistency_token = graphene.String(
        description='"<aggregateId>:<version>": pass it to the Query API to read your write.'
    )


def _result(outcome: CommandOutcome) -> CommandResult:
    token = None if outcome.version is None else f"{outcome.aggregate_id}:{outcome.version}"
    return CommandResult(
        command_id=outcome.command_id, aggregate_type=outcome.aggregate_type,
        aggregate_id=outcome.aggregate_id, version=outcome.version,
        event_types=list(outcome.event_types), consistency_token=token,
    )  # fmt: skip


def build_command(command: type[Command], values: Mapping[str, Any]) -> Command:
    """Build the domain command (it validates itself) or raise VALIDATION_ERROR."""
    try:
        return command(**values)
    except DomainError as e:
        raise validation_error(e, field_names(command)) from None


def _meta(command: Command, ctx: RequestContext, args: Mapping[str, Any]) -> CommandMeta:
    key, expected = args.get("idempotency_key"), args.get("expected_version")
    if key is not None and not COMMAND_ID.fullmatch(key):
        raise GatewayError(f"idempotencyKey must be 1-{limits.COMMAND_ID_LENGTH} of "
                           "A-Z a-z 0-9 _ . : @ / + = -",
                           VALIDATION_ERROR, fields=[["idempotencyKey"]])  # fmt: skip
    if (correlation := args.get("correlation_id")) is not None:
        try:
            CORRELATION_ID(correlation)
        except ValidationError as e:
            raise GatewayError(f"correlationId: {e.message}", VALIDATION_ERROR,
                               fields=[["correlationId"]]) from None  # fmt: skip
    if expected is not None and expected < 0:
        raise GatewayError("expectedVersion must be >= 0", VALIDATION_ERROR,
                           fields=[["expectedVersion"]])  # fmt: skip
    command_id = key or str(uuid.uuid4())
    return CommandMeta(
        command_id=command_id, aggregate_id=aggregate_id_of(command), expected_version=expected,
        issued_at=now_millis(), channel=ctx.channel,
        correlation_id=args.get("correlation_id") or command_id,
    )  # fmt: skip


async def send(ctx: RequestContext, command: Command, args: Mapping[str, Any]) -> CommandResult:
    """Produce ``command`` and translate its outcome (or its absence) for the client."""
    meta = _meta(command, ctx, args)
    bind_command(meta.command_id, meta.aggregate_id)  # on the request's log lines from here
    ids = {"commandId": meta.command_id, "aggregateId": meta.aggregate_id}
    try:
        outcome = await ctx.commands.dispatch(CommandEnvelope(meta, command), ctx.command_timeout_s)
    except KafkaUnavailableError as e:
        raise GatewayError(f"{e}; the command was not sent", UNAVAILABLE, **ids) from None
    if outcome is None:
        raise GatewayError(
            f"no outcome within {ctx.command_timeout_s:g}s; the command may still apply. Retry "
            f"with idempotencyKey {meta.command_id!r} to get its outcome without applying it twice",
            TIMEOUT, **ids,
        )  # fmt: skip
    if outcome.status != "ACCEPTED":
        # a reused key is the caller's mistake, not the business's refusal: its own code
        code = IDEMPOTENCY_KEY_REUSED if outcome.error_code == IDEMPOTENCY_KEY_REUSED else REJECTED
        raise GatewayError(outcome.message or str(outcome.error_code), code,
                           reason=outcome.error_code, **ids)  # fmt: skip
    return _result(outcome)


def _resolver(command: type[Command]) -> Any:
    async def resolve(_root: Any, info: Any, input: Mapping[str, Any], **args: Any) -> Any:
        ctx: RequestContext = info.context
        ctx.require(Permission.COMMANDS)
        return await send(ctx, build_command(command, dict(input)), args)

    return resolve


def mutation_fields() -> dict[str, graphene.Field]:
    """Return ``receiveStock``, ``createProduct``, ... one field per public command."""
    fields = {}
    for name, command in PUBLIC_COMMANDS.items():
        fields[_snake(name)] = graphene.Field(
            graphene.NonNull(CommandResult),
            input=input_type(command)(required=True),
            idempotency_key=graphene.String(description=IDEMPOTENCY_KEY_DOC),
            expected_version=graphene.Int(
                description="Optimistic lock: reject (CONCURRENCY) unless the aggregate is at it."
            ),
            correlation_id=graphene.String(description="Traces a business flow (default: id)."),
            resolver=_resolver(command),
            description=f"Send {name} to {AGGREGATE_OF_COMMAND[name]}.commands; await its outcome.",
        )
    return fields


def _snake(name: str) -> str:
    """Return ``receive_stock`` for ``ReceiveStock`` (graphene camel-cases it back)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    assert camel(snake) == name[0].lower() + name[1:]
    return snake
