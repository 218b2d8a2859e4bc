"""The Command API's request limits: the shared ones (connectors/graphql), its codes."""

from __future__ import annotations

import graphene
from graphql import OperationType

from command_gateway.errors import QUERY_TOO_COMPLEX, QUERY_TOO_DEEP, GatewayError
from command_gateway.settings import CommandGatewaySettings
from connectors.graphql.cost import CostModel
from connectors.graphql.limits import Limits, RequestLimits, Violation


def request_limits(settings: CommandGatewaySettings, schema: graphene.Schema) -> RequestLimits:
    """Return the limits of ``settings`` on ``schema``: a mutation costs ``mutation_cost``."""
    model = CostModel(
        schema.graphql_schema, root_costs={OperationType.MUTATION: settings.mutation_cost}
    )
    limits = Limits(
        settings.max_query_depth, settings.max_query_complexity, settings.max_query_tokens
    )
    return RequestLimits(model, limits)


def limit_error(violation: Violation) -> GatewayError:
    """Return the typed error of a limit (QUERY_TOO_DEEP for depth, else QUERY_TOO_COMPLEX)."""
    code = QUERY_TOO_DEEP if violation.limit == "depth" else QUERY_TOO_COMPLEX
    return GatewayError(
        violation.message, code, **{violation.limit: violation.value, "limit": violation.maximum}
    )
