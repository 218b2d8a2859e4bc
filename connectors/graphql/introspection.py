"""How long the introspection lists of one schema are, to price introspection fields.

An introspection field costs what it makes the server answer: ``__schema { types }``
is as long as the schema has types, ``fields`` as a type has fields on average, and so
on. Means rather than maxima: ``types { fields }`` then prices the real total of
fields, which is what a response holds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)


def _mean(counts: Iterable[int]) -> int:
    values = list(counts)
    return max(1, math.ceil(sum(values) / len(values))) if values else 1


@dataclass(frozen=True)
class IntrospectionSizes:
    """The length of each introspection list, keyed by (introspection type, field)."""

    lists: Mapping[tuple[str, str], int]

    def size(self, parent: str, field: str) -> int | None:
        """Return the length of ``parent.field`` when it is an introspection list."""
        return self.lists.get((parent, field))

    @classmethod
    def of(cls, schema: GraphQLSchema) -> IntrospectionSizes:
        """Measure ``schema`` once (at start-up)."""
        named = list(schema.type_map.values())
        composite = [t for t in named if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)]
        fields = [f for t in composite for f in t.fields.values()]
        inputs = [t for t in named if isinstance(t, GraphQLInputObjectType)]
        enums = [t for t in named if isinstance(t, GraphQLEnumType)]
        abstract = [t for t in named if isinstance(t, GraphQLInterfaceType | GraphQLUnionType)]
        directives = list(schema.directives)
        arguments = [len(f.args) for f in fields] + [len(d.args) for d in directives]
        return cls({
            ("__Schema", "types"): len(named),
            ("__Schema", "directives"): len(directives),
            ("__Type", "fields"): _mean(len(t.fields) for t in composite),
            ("__Type", "interfaces"): _mean(len(t.interfaces) for t in composite),
            ("__Type", "possibleTypes"): _mean(
                len(schema.get_possible_types(t)) for t in abstract
            ),
            ("__Type", "enumValues"): _mean(len(t.values) for t in enums),
            ("__Type", "inputFields"): _mean(len(t.fields) for t in inputs),
            ("__Field", "args"): _mean(arguments),
            ("__Directive", "args"): _mean(len(d.args) for d in directives),
            ("__Directive", "locations"): _mean(len(d.locations) for d in directives),
        })  # fmt: skip
