"""Run one GraphQL request: parse within limits (memoised), validate, measure, execute."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, execute

from connectors.graphql.body import GraphQLRequest
from connectors.graphql.limits import LimitExceededError
from connectors.graphql.validation import validate_document
from query_gateway.context import RequestContext
from query_gateway.errors import format_error
from query_gateway.fast_execution import FastExecutionContext, is_awaitable
from query_gateway.limits import limit_error, request_limits
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
        self.limits = request_limits(settings, schema)
        self._memo: OrderedDict[str, Prepared] = OrderedDict()
        self._memo_size = memo

    def prepare(self, query: str) -> Prepared:
        """Return the parsed document and its validation errors (memoised: clients repeat).

        Raise QUERY_TOO_COMPLEX past the document limits, checked before validation, and
        InvalidRequestError for a string literal PostgreSQL cannot store.
        """
        hit = self._memo.get(query)
        if hit is not None:
            self._memo.move_to_end(query)
            return hit
        try:
            document = self.limits.parse(query)
        except LimitExceededError as exc:
            raise limit_error(exc.violation) from None
        except GraphQLError as exc:
            return Prepared(DocumentNode(definitions=()), (exc,))
        prepared = Prepared(document, tuple(validate_document(self.schema, document)))
        self._memo[query] = prepared
        if len(self._memo) > self._memo_size:
            self._memo.popitem(last=False)
        return prepared

    async def run(self, request: GraphQLRequest, context: RequestContext) -> Body:
        """Return the response body of one request (query, variables, operationName)."""
        prepared = self.prepare(request.query)
        if prepared.errors:
            return {"errors": [format_error(e) for e in prepared.errors]}
        variables, operation_name = request.variables, request.operation_name
        violations = self.limits.check(prepared.document, operation_name, variables)
        if violations:
            raise limit_error(violations[0])
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
