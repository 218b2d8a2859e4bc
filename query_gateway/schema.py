"""The Query API's GraphQL schema (queries only; the Command API owns mutations)."""

from __future__ import annotations

import graphene

from query_gateway.query_catalog import CatalogQuery
from query_gateway.query_parties import PartyQuery
from query_gateway.query_stock import StockQuery


# graphene lists the fields of the last base first: stock, master data, then parties.
class Query(PartyQuery, CatalogQuery, StockQuery, graphene.ObjectType):  # type: ignore[misc]
    """Zaiko's read model: master data, stock, movements, summaries and alerts."""


def build_schema() -> graphene.Schema:
    """Return the schema (built on demand: nothing is constructed at import time)."""
    return graphene.Schema(query=Query)
