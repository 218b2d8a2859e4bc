"""The limits of one GraphQL gateway: checked on the document before anything runs.

In order, each bounding the work of the next step: the body's size (``body.py``); the
document's tokens and comments (counted first by a regular expression, then exactly by
graphql-core, which stops lexing at the cap); the work of merging
same-named fields (``merging.py``, before validation, which is quadratic in it); then
on the operation to run, its depth and cost (``cost.py``). Introspection counts towards
the cost: the limit is ``max_complexity`` for data fields, raised by an allowance of
1.5 times the price of graphql-core's full introspection query on this schema, so GraphiQL
works and grows with the schema while 600 aliased ``__schema`` fields are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    get_introspection_query,
    parse,
)

from connectors.graphql.cost import CostModel, Measured, measure
from connectors.graphql.merging import merge_work
from connectors.graphql.text import check_document_text

MAX_TOKENS = 2_000  # GraphiQL's introspection query has 183; 600 aliased __schema 8,400
MAX_COMMENTS = 500
MAX_MERGE_WORK = 5_000  # about 20 ms of graphql-core's merge rule at worst; introspection: 469
_TOKENS_PREFIX = "Syntax Error: Document contains more than"  # graphql-core's token refusal
# GraphQL's lexical tokens and comments, matched by the C regex engine: a first count that
# costs ~1 ms where graphql-core's Python lexer takes 15-90 ms to reach the cap.
_LEXEMES = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""|"(?:\\.|[^"\\\n])*"|#[^\n\r]*'
    r"|[_A-Za-z][_0-9A-Za-z]*|-?[0-9][0-9.eE+-]*|\.\.\.|[!$&()\[\]{}:=@|]"
)


@dataclass(frozen=True)
class Violation:
    """A limit a request exceeds: which (tokens, merging, depth, complexity), by how much."""

    limit: str
    value: int
    maximum: int
    message: str


class LimitExceededError(Exception):
    """The document exceeds a limit before it is even validated."""

    def __init__(self, violation: Violation) -> None:
        super().__init__(violation.message)
        self.violation = violation


@dataclass(frozen=True)
class Limits:
    """The bounds of one gateway (from its settings)."""

    max_depth: int
    max_complexity: int
    max_tokens: int = MAX_TOKENS
    max_comments: int = MAX_COMMENTS
    max_merge_work: int = MAX_MERGE_WORK


class RequestLimits:
    """Parses and measures documents for one schema; built once by the composition root."""

    def __init__(self, model: CostModel, limits: Limits) -> None:
        self.model = model
        self.limits = limits
        full = parse(_FULL_INTROSPECTION)
        # Half again as much: other clients' introspection queries reach deeper (ofType).
        self.introspection_allowance = 3 * self.measure(full, None, {}).cost // 2

    def parse(self, query: str) -> DocumentNode:
        """Parse ``query`` within the token bounds; check its merge work and its strings.

        Raise LimitExceededError past a bound, GraphQLSyntaxError when it is not GraphQL,
        InvalidRequestError when a string literal is not text PostgreSQL can store.
        """
        limits = self.limits
        if len(_LEXEMES.findall(query)) > limits.max_tokens + limits.max_comments:
            raise LimitExceededError(self._too_many_tokens())
        try:
            document = parse(
                query, max_lexical_tokens=limits.max_tokens, max_comments=limits.max_comments
            )
        except GraphQLSyntaxError as e:
            if not e.message.startswith(_TOKENS_PREFIX):
                raise
            raise LimitExceededError(self._too_many_tokens()) from None
        check_document_text(document)
        work = merge_work(document, limits.max_merge_work)
        if work > limits.max_merge_work:
            message = (
                f"the document repeats same-named fields too often (merge work {work} exceeds"
                f" {limits.max_merge_work}): give repeated fields distinct aliases"
            )
            raise LimitExceededError(Violation("mergeWork", work, limits.max_merge_work, message))
        return document

    def _too_many_tokens(self) -> Violation:
        limits = self.limits
        message = (
            f"the document exceeds {limits.max_tokens} tokens or {limits.max_comments} comments"
        )
        return Violation("tokens", limits.max_tokens + 1, limits.max_tokens, message)

    def measure(
        self, document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any]
    ) -> Measured:
        """Return the depth and costs of the operation that would run (zero when none)."""
        operation = _operation(document, operation_name)
        if operation is None:  # execution refuses the request with its own error
            return Measured(0, 0, 0)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        return measure(self.model, operation, fragments, variables)

    def check(
        self, document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any]
    ) -> list[Violation]:
        """Return the depth and cost limits that the operation to run exceeds."""
        measured, limits = self.measure(document, operation_name, variables), self.limits
        found = []
        if measured.depth > limits.max_depth:
            message = f"query depth {measured.depth} exceeds {limits.max_depth}"
            found.append(Violation("depth", measured.depth, limits.max_depth, message))
        allowed = limits.max_complexity + self.introspection_allowance
        if measured.data > limits.max_complexity:
            message = f"query complexity {measured.data} exceeds {limits.max_complexity}"
            found.append(Violation("complexity", measured.data, limits.max_complexity, message))
        elif measured.cost > allowed:
            message = (
                f"query complexity {measured.cost} (introspection {measured.introspection})"
                f" exceeds {allowed}: {limits.max_complexity} plus"
                f" {self.introspection_allowance} for introspection"
            )
            found.append(Violation("complexity", measured.cost, allowed, message))
        return found


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


_FULL_INTROSPECTION = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)
