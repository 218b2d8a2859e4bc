"""Companies (企業, CRUD master) and customers (取引先), each side reaching the other."""

from __future__ import annotations

from typing import Any

import graphene

from query_gateway import enums

Row = dict[str, Any]


class Company(graphene.ObjectType):  # type: ignore[misc]
    """企業: our own company (自社) or a customer's company (取引先企業)."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.Field(enums.CompanyKind, required=True, description="企業種別")
    postal_code = graphene.String()
    address = graphene.String()
    phone = graphene.String()
    representative = graphene.String(description="代表者名")
    founded_on = graphene.Date()
    capital = graphene.BigInt(description="資本金 (円)")
    employees = graphene.Int()
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    customers = graphene.List(
        graphene.NonNull(lambda: Customer),
        required=True,
        first=graphene.Int(default_value=20),
        description="The company's first customers by id.",
    )

    @staticmethod
    def resolve_customers(root: Row, info: graphene.ResolveInfo, first: int) -> Any:
        size = info.context.page_size(first)
        return info.context.loaders.customers_of_company.load((root["id"], size))


class Customer(graphene.ObjectType):  # type: ignore[misc]
    """取引先."""

    id = graphene.ID(required=True)
    company_id = graphene.String(required=True)
    name = graphene.String(required=True)
    customer_type = graphene.Field(enums.CustomerType, required=True)
    address = graphene.String(required=True)
    contact = graphene.String(required=True)
    since = graphene.Date(required=True, description="取引開始日")
    status = graphene.Field(enums.CustomerStatus, required=True)
    suspension_reason = graphene.String()
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    company = graphene.Field(Company, description="Null while the company is not registered.")

    @staticmethod
    def resolve_company(root: Row, info: graphene.ResolveInfo) -> Any:
        if "company" in root:  # prefetched (see prefetch.py)
            return root["company"]
        return info.context.loaders.company.load(root["company_id"])
