"""GraphQL requests, errors and latency by operation, for both gateways (one family each).

The operation label is the sorted, de-duplicated top-level field names of the operation
run (aliases resolved, fragments followed), so it is bounded by the schema: a field the
root type lacks, a document that does not parse, or a request refused before parsing
(too large, unauthenticated) is "invalid". The client's operationName is never a label.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_operation_ast,
)

from connectors.metrics import counter, histogram

REQUESTS = counter(
    "zaiko_graphql_requests_total",
    "GraphQL requests by API (command/query), operation (sorted top-level field names;"
    " 'invalid' when it does not parse or names no field of the schema) and outcome (ok:"
    " data and no errors; error: any error, HTTP status >= 400 included).",
    ("api", "operation", "outcome"),
)
LATENCY = histogram(
    "zaiko_graphql_request_seconds",
    "Seconds from a GraphQL request's arrival to its response being ready, by API and operation.",
    ("api", "operation"),
)
INVALID = "invalid"
MULTIPLE = "multiple"
_INTROSPECTION = {"__typename", "__schema", "__type"}


def operation_label(schema: GraphQLSchema, document: DocumentNode, name: str | None) -> str:
    """Return the label of the operation ``name`` selects in ``document`` (see the module)."""
    operation = get_operation_ast(document, name)
    root = schema.get_root_type(operation.operation) if operation is not None else None
    if operation is None or root is None:
        return INVALID
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}  # fmt: skip
    names = _fields(operation.selection_set, fragments, set())
    if not names or not names <= (set(root.fields) | _INTROSPECTION):
        return INVALID
    # one label per root field, plus one for documents asking several at once: a set of
    # fields per label would let a client mint up to 2^fields series
    return next(iter(names)) if len(names) == 1 else MULTIPLE


def _fields(selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode],
            seen: set[str]) -> set[str]:  # fmt: skip
    names: set[str] = set()
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names |= _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            seen.add(selection.name.value)
            if fragment is not None:
                names |= _fields(fragment.selection_set, fragments, seen)
    return names


class Measured:
    """One request being measured: the handler names the operation and says when it is ok."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.operation = INVALID
        self.ok = False

    def parsed(self, document: DocumentNode, operation_name: str | None) -> None:
        """Label the request with the operation it runs."""
        self.operation = operation_label(self.schema, document, operation_name)


@contextmanager
def measured(api: str, schema: GraphQLSchema) -> Iterator[Measured]:
    """Count and time the request handled in the block (an error unless it sets ``ok``)."""
    request = Measured(schema)
    started = time.perf_counter()
    try:
        yield request
    finally:
        LATENCY.labels(api, request.operation).observe(time.perf_counter() - started)
        REQUESTS.labels(api, request.operation, "ok" if request.ok else "error").inc()
