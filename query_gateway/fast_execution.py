"""An execution context with a short path for plain leaf fields of dict rows.

graphql-core builds a ResolveInfo, argument values and a completion per field; for the
bulk of a response (scalar columns of read-model rows, resolved by graphene's default
dict resolver) that costs more than the value itself. Here such a field reads the dict
and serialises the value directly. Anything else (a resolver of ours, arguments, objects,
lists, a null in a non-null field, a value that does not serialise) takes the normal
path, so results and errors are exactly those of graphql-core. ``is_awaitable`` answers
for plain values by their type before graphql-core's general check (called per field).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    is_leaf_type,
)
from graphql.pyutils import Path, Undefined
from graphql.pyutils import is_awaitable as _is_awaitable

_NOT_PLAIN = object()
_plain: dict[int, Any] = {}  # id(field definition) -> (attname, default, leaf type) | _NOT_PLAIN


def _plan(field: GraphQLField) -> Any:
    resolve = field.resolve
    field_type = field.type
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    if (
        isinstance(resolve, partial)
        and resolve.func is dict_or_attr_resolver
        and not field.args
        and is_leaf_type(field_type)
    ):
        attname, default = resolve.args
        return attname, default, field_type
    return _NOT_PLAIN


class FastExecutionContext(ExecutionContext):
    """graphql-core's execution, with plain leaf fields of dict rows read directly."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        if type(source) is dict and not self.middleware_manager:
            field = parent_type.fields.get(field_nodes[0].name.value)
            if field is not None:
                plan = _plain.get(id(field))
                if plan is None:
                    plan = _plain[id(field)] = _plan(field)
                if plan is not _NOT_PLAIN:
                    attname, default, leaf = plan
                    value = source.get(attname, default)
                    if value is None and not isinstance(field.type, GraphQLNonNull):
                        return None
                    if value is not None:
                        try:
                            serialized = _serialize(leaf, value)
                        except Exception:
                            serialized = Undefined
                        if serialized is not Undefined and serialized is not None:
                            return serialized
        return super().execute_field(parent_type, source, field_nodes, path)


def _serialize(leaf: GraphQLLeafType, value: Any) -> Any:
    return leaf.serialize(value)


_PLAIN_VALUES = frozenset({str, int, float, bool, dict, list, type(None)})


def is_awaitable(value: Any) -> bool:
    """Return whether ``value`` must be awaited; rows and scalars answer at once."""
    return type(value) not in _PLAIN_VALUES and _is_awaitable(value)
