"""The whole Command API schema: the command mutations, company CRUD and a small Query."""

from __future__ import annotations

from typing import Any

import graphene

from command_gateway.api.commands import mutation_fields
from command_gateway.api.companies import CreateCompany, DeleteCompany, UpdateCompany
from command_gateway.api.context import RequestContext


class Query(graphene.ObjectType):  # type: ignore[misc]
    """The Command API only takes mutations; data is read through the Query API."""

    role = graphene.String(required=True, description="The caller's role (by its API key).")

    @staticmethod
    def resolve_role(_root: Any, info: Any) -> str:
        ctx: RequestContext = info.context
        return ctx.principal.role.value


def build_schema() -> graphene.Schema:
    """Return the graphene schema (built on call: nothing at import time)."""
    fields: dict[str, Any] = mutation_fields()
    fields["create_company"] = CreateCompany.Field(description="Insert a row of 企業.")
    fields["update_company"] = UpdateCompany.Field(description="Change a row of 企業.")
    fields["delete_company"] = DeleteCompany.Field(description="Delete a row of 企業.")
    mutation = type("Mutation", (graphene.ObjectType,), fields)
    return graphene.Schema(query=Query, mutation=mutation)


def sdl() -> str:
    """Return the schema in SDL, as committed in command_gateway/schema.graphql."""
    return str(build_schema()).rstrip() + "\n"
