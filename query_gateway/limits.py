"""Depth and complexity of an operation, measured before it runs.

Complexity estimates the fields the response will hold: each field costs 1, and a list
field multiplies the cost of its selection by its length: ``first`` when given, the
default page size for paged lists, a realistic size for the short ones (``LISTS``). So
a page of 100 products with their inventories costs far more than one product.
Introspection fields (``__schema``, ``__type``) are free: GraphiQL needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

from query_gateway.errors import Code, GatewayError

# Lists whose length is the page size asked for (``first``, else the default).
PAGED = {
    "products",
    "inventories",
    "customers",
    "companies",
    "stockMovements",
    "lowStock",
    "lowStockAlerts",
}
# Unpaged lists, by their realistic length: a product sits in a few of the 9 zones.
LISTS = {
    "zones": 10,
    "warehouses": 10,
    "zoneSummaries": 10,
    "warehouseSummaries": 10,
    "categorySummaries": 10,
}


class Measure:
    """Walks one operation, resolving fragments and ``first`` arguments."""

    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        default_page: int,
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.default_page = default_page

    def fields(self, selection_set: SelectionSetNode | None) -> list[FieldNode]:
        """Return the fields of a selection set, fragments flattened."""
        if selection_set is None:
            return []
        out: list[FieldNode] = []
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                out.append(node)
            elif isinstance(node, InlineFragmentNode):
                out.extend(self.fields(node.selection_set))
            elif isinstance(node, FragmentSpreadNode) and node.name.value in self.fragments:
                out.extend(self.fields(self.fragments[node.name.value].selection_set))
        return out

    def depth(self, selection_set: SelectionSetNode | None) -> int:
        children = [f for f in self.fields(selection_set) if not f.name.value.startswith("__")]
        return max((1 + self.depth(f.selection_set) for f in children), default=0)

    def cost(self, selection_set: SelectionSetNode | None) -> int:
        total = 0
        for field in self.fields(selection_set):
            if field.name.value.startswith("__"):
                continue
            total += 1 + self.page(field) * self.cost(field.selection_set)
        return total

    def page(self, field: FieldNode) -> int:
        for argument in field.arguments:
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 1)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return max(given, 1) if isinstance(given, int) else self.default_page
        if field.name.value in PAGED:
            return self.default_page
        return LISTS.get(field.name.value, 1)


def check_limits(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    *,
    max_depth: int,
    max_complexity: int,
    default_page: int,
) -> None:
    """Raise QUERY_TOO_COMPLEX when the operation is too deep or too costly."""
    measure = Measure(fragments, variables, default_page)
    depth = measure.depth(operation.selection_set)
    if depth > max_depth:
        raise GatewayError(
            Code.QUERY_TOO_COMPLEX,
            f"query depth {depth} exceeds {max_depth}",
            depth=depth,
            maxDepth=max_depth,
        )
    cost = measure.cost(operation.selection_set)
    if cost > max_complexity:
        raise GatewayError(
            Code.QUERY_TOO_COMPLEX,
            f"query complexity {cost} exceeds {max_complexity}",
            complexity=cost,
            maxComplexity=max_complexity,
        )
