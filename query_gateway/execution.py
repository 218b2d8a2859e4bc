"""Run one GraphQL request: parse (memoised), validate, check limits, execute, format."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    execute,
    parse,
    validate,
)

from query_gateway.context import RequestContext
from query_gateway.errors import Code, GatewayError, format_error
from query_gateway.fast_execution import FastExecutionContext, is_awaitable
from query_gateway.limits import check_limits
from query_gateway.settings import QueryGatewaySettings

log = logging.getLogger(__name__)
Body = dict[str, Any]


@dataclass(frozen=True)
class Prepared:
    document: DocumentNode
    errors: tuple[GraphQLError, ...]


class Executor:
    """Executes requests against one schema; parsed documents are memoised by text."""

    def __init__(self, schema: GraphQLSchema, settings: QueryGatewaySettings, memo: int = 256):
        self.schema = schema
        self.settings = settings
        self._memo: OrderedDict[str, Prepared] = OrderedDict()
        self._memo_size = memo

    def prepare(self, query: str) -> Prepared:
        """Return the parsed document and its validation errors (memoised: clients repeat)."""
        hit = self._memo.get(query)
        if hit is not None:
            self._memo.move_to_end(query)
            return hit
        try:
            document = parse(query)
        except GraphQLError as exc:
            return Prepared(DocumentNode(definitions=()), (exc,))
        prepared = Prepared(document, tuple(validate(self.schema, document)))
        self._memo[query] = prepared
        if len(self._memo) > self._memo_size:
            self._memo.popitem(last=False)
        return prepared

    async def run(self, payload: Any, context: RequestContext) -> Body:
        """Return the response body of one request payload (query, variables, operationName)."""
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            raise GatewayError(Code.VALIDATION_ERROR, "the body must be JSON with a 'query' string")
        variables = payload.get("variables") or {}
        operation_name = payload.get("operationName")
        if not isinstance(variables, dict):
            raise GatewayError(Code.VALIDATION_ERROR, "'variables' must be an object")
        prepared = self.prepare(payload["query"])
        if prepared.errors:
            return {"errors": [format_error(e) for e in prepared.errors]}
        self._check_limits(prepared.document, operation_name, variables)
        result = execute(
            self.schema,
            prepared.document,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            execution_context_class=FastExecutionContext,
            is_awaitable=is_awaitable,
        )
        if is_awaitable(result):
            result = await result  # type: ignore[misc]
        body: Body = {"data": result.data}  # type: ignore[union-attr]
        errors = result.errors  # type: ignore[union-attr]
        if errors:
            for error in errors:
                if error.original_error is not None and not isinstance(
                    error.original_error, GraphQLError
                ):
                    log.error("resolver failed at %s", error.path, exc_info=error.original_error)
            body["errors"] = [format_error(e) for e in errors]
        return body

    def _check_limits(
        self, document: DocumentNode, operation_name: Any, variables: dict[str, Any]
    ) -> None:
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [
            o
            for o in operations
            if operation_name is None or (o.name is not None and o.name.value == operation_name)
        ]
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for operation in chosen[:1]:
            check_limits(
                operation,
                fragments,
                variables,
                max_depth=self.settings.max_query_depth,
                max_complexity=self.settings.max_query_complexity,
                default_page=self.settings.default_page_size,
            )
