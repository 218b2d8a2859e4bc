"""The Query API's request limits: the shared ones (connectors/graphql), its lists, its codes.

A list field multiplies the cost of its selection by its length: ``first`` when given,
the default page size for paged lists, a realistic size for the short ones (``LISTS``).
So a page of 100 products with their inventories costs far more than one product.
"""

from __future__ import annotations

from graphql import GraphQLSchema

from connectors.graphql.cost import CostModel
from connectors.graphql.limits import Limits, RequestLimits, Violation
from query_gateway.errors import Code, GatewayError
from query_gateway.settings import QueryGatewaySettings

# Lists whose length is the page size asked for (``first``, else the default).
PAGED = frozenset(
    {"products", "inventories", "customers", "companies", "stockMovements", "lowStock",
     "lowStockAlerts"}
)  # fmt: skip
# Unpaged lists, by their realistic length: a product sits in a few of the 9 zones.
LISTS = {
    "zones": 10,
    "warehouses": 10,
    "zoneSummaries": 10,
    "warehouseSummaries": 10,
    "categorySummaries": 10,
}


def request_limits(settings: QueryGatewaySettings, schema: GraphQLSchema) -> RequestLimits:
    """Return the limits of ``settings`` on ``schema``."""
    model = CostModel(schema, PAGED, LISTS, settings.default_page_size)
    limits = Limits(
        settings.max_query_depth, settings.max_query_complexity, settings.max_query_tokens
    )
    return RequestLimits(model, limits)


def limit_error(violation: Violation) -> GatewayError:
    """Return QUERY_TOO_COMPLEX with the figure and its maximum (``depth``, ``maxDepth``)."""
    name = violation.limit
    details = {name: violation.value, f"max{name[:1].upper()}{name[1:]}": violation.maximum}
    return GatewayError(Code.QUERY_TOO_COMPLEX, violation.message, **details)
