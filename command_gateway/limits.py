"""Depth and complexity limits, checked on the parsed document before anything executes."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

from command_gateway.errors import QUERY_TOO_COMPLEX, QUERY_TOO_DEEP, GatewayError


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_complexity: int
    mutation_cost: int


@dataclass
class _Cost:
    depth: int = 0
    complexity: int = 0


def check_limits(
    document: DocumentNode, operation: OperationDefinitionNode, limits: Limits
) -> list[GatewayError]:
    """Return the limit errors of ``operation`` (introspection fields cost nothing)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root_cost = limits.mutation_cost if operation.operation == OperationType.MUTATION else 1
    cost = _Cost()
    _walk(operation.selection_set, fragments, 1, root_cost, cost, frozenset())
    errors = []
    if cost.depth > limits.max_depth:
        errors.append(GatewayError(
            f"query depth {cost.depth} exceeds the limit of {limits.max_depth}",
            QUERY_TOO_DEEP, depth=cost.depth, limit=limits.max_depth,
        ))  # fmt: skip
    if cost.complexity > limits.max_complexity:
        errors.append(GatewayError(
            f"query complexity {cost.complexity} exceeds the limit of {limits.max_complexity}",
            QUERY_TOO_COMPLEX, complexity=cost.complexity, limit=limits.max_complexity,
        ))  # fmt: skip
    return errors


def _walk(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    depth: int,
    field_cost: int,
    cost: _Cost,
    seen: frozenset[str],
) -> None:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue
            cost.depth = max(cost.depth, depth)
            cost.complexity += field_cost
            _walk(selection.selection_set, fragments, depth + 1, 1, cost, seen)
        elif isinstance(selection, InlineFragmentNode):
            _walk(selection.selection_set, fragments, depth, field_cost, cost, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:  # cycles are refused by validation
                _walk(fragment.selection_set, fragments, depth, field_cost, cost, seen | {name})
