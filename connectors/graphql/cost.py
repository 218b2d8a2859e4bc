"""The depth and cost of an operation, measured on its document before it runs.

A field costs 1 plus its selection times the length of the list it stands for: ``first``
when given, else the gateway's page size for paged lists, a realistic length for short
ones, the schema's real lengths for introspection lists (``__schema { types }``). A root
field may cost more (a mutation waits on Kafka). Aliases are fields like any other.
Fragments are priced once per type they are read at, so a fragment spread twice in each
of forty nested fragments costs 2**40 without walking 2**40 fields. Documents are
measured before validation: unknown fields and types cost 1, a cyclic spread costs 0
(validation refuses both afterwards).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from connectors.graphql.introspection import IntrospectionSizes

CAP = 10**15  # costs saturate here: a refusal needs no exact astronomical figure
_META = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}
Cost = tuple[int, int, int]  # depth, data cost, introspection cost
NOTHING: Cost = (0, 0, 0)


@dataclass(frozen=True)
class CostModel:
    """How one gateway prices fields (built once per schema at start-up)."""

    schema: GraphQLSchema
    paged: frozenset[str] = frozenset()  # lists as long as ``first`` (else default_page)
    lists: Mapping[str, int] = field(default_factory=dict)  # other lists, by length
    default_page: int = 1
    root_costs: Mapping[OperationType, int] = field(default_factory=dict)
    introspection: IntrospectionSizes = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "introspection", IntrospectionSizes.of(self.schema))


@dataclass(frozen=True)
class Measured:
    """Depth of the data fields; cost of the data and of the introspection fields."""

    depth: int
    data: int
    introspection: int

    @property
    def cost(self) -> int:
        return min(self.data + self.introspection, CAP)


def measure(
    model: CostModel,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> Measured:
    """Return the depth (introspection excluded) and the costs of ``operation``."""
    walk = _Walk(model, fragments, variables)
    root = model.schema.get_root_type(operation.operation)
    field_cost = model.root_costs.get(operation.operation, 1)
    return Measured(*walk.selection(operation.selection_set, root, field_cost))


class _Walk:
    def __init__(
        self,
        model: CostModel,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.model = model
        self.fragments = fragments
        self.variables = variables
        self.memo: dict[tuple[int, str | None, int], Cost] = {}
        self.open: set[int] = set()  # selection sets being walked: a cycle costs 0

    def selection(
        self, selection_set: SelectionSetNode | None, parent: Any, field_cost: int = 1
    ) -> Cost:
        """Return (depth, data cost, introspection cost) of a selection read on ``parent``."""
        if selection_set is None:
            return NOTHING
        key = (id(selection_set), getattr(parent, "name", None), field_cost)
        if key in self.memo or id(selection_set) in self.open:
            return self.memo.get(key, NOTHING)
        self.open.add(id(selection_set))
        depth = data = introspection = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                d, c, i = self.field(node, parent, field_cost)
            elif isinstance(node, InlineFragmentNode):
                d, c, i = self.selection(node.selection_set, self.on(node, parent), field_cost)
            elif isinstance(node, FragmentSpreadNode) and node.name.value in self.fragments:
                fragment = self.fragments[node.name.value]
                d, c, i = self.selection(
                    fragment.selection_set, self.on(fragment, parent), field_cost
                )
            else:
                continue
            depth, data, introspection = (
                max(depth, d),
                min(data + c, CAP),
                min(introspection + i, CAP),
            )
        self.open.discard(id(selection_set))
        self.memo[key] = depth, data, introspection
        return depth, data, introspection

    def field(self, node: FieldNode, parent: Any, field_cost: int) -> Cost:
        name = node.name.value
        definition = _META.get(name) or getattr(parent, "fields", {}).get(name)
        child = get_named_type(definition.type) if definition is not None else None
        depth, data, introspection = self.selection(node.selection_set, child)
        length = self.length(node, getattr(parent, "name", ""))
        if name.startswith("__"):  # a meta field: all below it is introspection too
            return 0, 0, min(1 + length * (data + introspection), CAP)
        return depth + 1, min(field_cost + length * data, CAP), min(length * introspection, CAP)

    def length(self, node: FieldNode, parent: str) -> int:
        """Return how many times the selection of ``node`` is answered."""
        name = node.name.value
        sized = self.model.introspection.size(parent, name)
        if sized is not None:
            return sized
        for argument in node.arguments:
            if argument.name.value == "first":
                return self.first(argument.value)
        if name in self.model.paged:
            return self.model.default_page
        return self.model.lists.get(name, 1)

    def first(self, value: Any) -> int:
        if isinstance(value, IntValueNode):  # unvalidated: may be 10**4000
            return CAP if len(value.value) > 15 else max(int(value.value), 1)
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            if isinstance(given, int) and not isinstance(given, bool):
                return min(max(given, 1), CAP)
        return self.model.default_page

    def on(self, node: InlineFragmentNode | FragmentDefinitionNode, parent: Any) -> Any:
        """Return the type a fragment is read at: its condition when the schema has it."""
        if node.type_condition is None:
            return parent
        named: GraphQLNamedType | None = self.model.schema.get_type(node.type_condition.name.value)
        return named if named is not None else parent
