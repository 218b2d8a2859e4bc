"""GraphQL input types generated from the domain's command dataclasses, so the two never drift."""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from functools import cache
from typing import Any

import graphene

from domain.enums import (
    AdjustmentReason,
    Category,
    CompanyType,
    CustomerType,
    StorageCondition,
    ZoneType,
)
from domain.message import Command

_ENUMS: dict[type[Enum], str] = {
    StorageCondition: "保管条件 常温/冷蔵/冷凍 (AMBIENT/CHILLED/FROZEN)",
    ZoneType: "区画タイプ 常温/冷蔵/冷凍 (AMBIENT/CHILLED/FROZEN)",
    Category: "カテゴリ 食品類 (FOOD) / 日用品 (DAILY_GOODS)",
    CustomerType: "取引先タイプ スーパー/コンビニ/飲食店/小売店",
    CompanyType: "企業種別 自社 (OWN) / 取引先企業 (PARTNER)",
    AdjustmentReason: "調整理由 棚卸差異/破損/期限切れ/紛失/その他",
}
_SCALARS: dict[type, type[graphene.Scalar]] = {
    str: graphene.String, int: graphene.Int, float: graphene.Float, bool: graphene.Boolean,
}  # fmt: skip


@cache
def graphql_enum(enum_type: type[Enum]) -> type[graphene.Enum]:
    """Return the GraphQL enum of a domain enum (names ASCII, values the Japanese terms)."""
    description = _ENUMS.get(enum_type, enum_type.__name__)
    created: type[graphene.Enum] = graphene.Enum.from_enum(enum_type, description=description)
    return created


def _graphene_type(hint: Any) -> tuple[Any, bool]:
    """Return (graphene type, nullable) of a dataclass field's type hint."""
    args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    inner = [a for a in args if a is not type(None)]
    nullable = len(inner) < len(args)
    (kind,) = inner
    if isinstance(kind, type) and issubclass(kind, Enum):
        return graphql_enum(kind), nullable
    return _SCALARS[kind], nullable


_INPUTS: dict[str, type[graphene.InputObjectType]] = {}


def input_type(command: type[Command]) -> type[graphene.InputObjectType]:
    """Return ``<Command>Input``: required where the dataclass field has no default."""
    if command.__name__ in _INPUTS:
        return _INPUTS[command.__name__]
    hints = typing.get_type_hints(command)
    attrs: dict[str, Any] = {}
    for field in dataclasses.fields(command):
        kind, nullable = _graphene_type(hints[field.name])
        no_default = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        attrs[field.name] = kind(required=no_default and not nullable)
    doc = (command.__doc__ or "").strip()
    doc = "" if doc.startswith(f"{command.__name__}(") else doc.replace("None", "null")
    attrs["Meta"] = type(
        "Meta", (), {"description": f"Fields of {command.__name__}. {doc}".strip()}
    )
    created = type(f"{command.__name__}Input", (graphene.InputObjectType,), attrs)
    _INPUTS[command.__name__] = created
    return created


def field_names(command: type[Command]) -> list[str]:
    """Return the command's field names (the input's Python-side keys)."""
    return [f.name for f in dataclasses.fields(command)]
