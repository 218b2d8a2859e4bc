"""Relay-style connection types (edges, node, cursor, pageInfo, totalCount)."""

from __future__ import annotations

import graphene

from query_gateway.movements import LowStockItem, StockMovement
from query_gateway.parties import Company, Customer
from query_gateway.types import Inventory, Product


class PageInfo(graphene.ObjectType):  # type: ignore[misc]
    has_next_page = graphene.Boolean(required=True)
    has_previous_page = graphene.Boolean(required=True)
    start_cursor = graphene.String()
    end_cursor = graphene.String()


def _connection(node: type[graphene.ObjectType]) -> type[graphene.ObjectType]:
    name = node.__name__
    edge = type(
        f"{name}Edge",
        (graphene.ObjectType,),
        {
            "node": graphene.Field(node, required=True),
            "cursor": graphene.String(required=True),
        },
    )
    return type(
        f"{name}Connection",
        (graphene.ObjectType,),
        {
            "edges": graphene.List(graphene.NonNull(edge), required=True),
            "page_info": graphene.Field(PageInfo, required=True),
            "total_count": graphene.Int(required=True, description="rows matching the filters"),
        },
    )


ProductConnection = _connection(Product)
InventoryConnection = _connection(Inventory)
CustomerConnection = _connection(Customer)
CompanyConnection = _connection(Company)
StockMovementConnection = _connection(StockMovement)
LowStockConnection = _connection(LowStockItem)
