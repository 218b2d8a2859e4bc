"""Root fields of the trading parties: customers and companies."""

from __future__ import annotations

from typing import Any, TypeAlias

import graphene

from query_gateway import enums, sql
from query_gateway import rows as r
from query_gateway.connections import CompanyConnection, CustomerConnection
from query_gateway.pagination import Keyset
from query_gateway.parties import Company, Customer
from query_gateway.root import Filters, connection, one, page_args, root_field

Info: TypeAlias = graphene.ResolveInfo


class PartyQuery(graphene.ObjectType):  # type: ignore[misc]
    customer = root_field(Customer, "One customer by id.", id=graphene.ID(required=True))
    customers = root_field(
        CustomerConnection,
        "Customers by id, filtered.",
        **page_args(
            customer_type=enums.CustomerType(),
            status=enums.CustomerStatus(),
            company_id=graphene.String(),
        ),
    )
    company = root_field(Company, "One company by id.", id=graphene.ID(required=True))
    companies = root_field(
        CompanyConnection,
        "Companies by id, filtered by 企業種別.",
        **page_args(kind=enums.CompanyKind()),
    )

    @staticmethod
    async def resolve_customer(
        _: Any, info: Info, id: str, consistency_token: str | None = None
    ) -> Any:
        return await one(info, consistency_token, "customer", id)

    @staticmethod
    async def resolve_customers(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        first: int | None = None,
        after: str | None = None,
        **f: Any,
    ) -> Any:
        filters = Filters()
        filters.equal("c.取引先タイプ", f.get("customer_type"))
        filters.equal("c.取引ステータス", f.get("status"))
        filters.equal("c.企業ID", f.get("company_id"))
        select = f"SELECT {sql.CUSTOMER_COLUMNS} FROM 取引先 c"
        keyset = Keyset(("取引先ID",))
        return await connection(
            info, consistency_token, "customer", select, filters, keyset, r.CUSTOMER, first, after
        )

    @staticmethod
    async def resolve_company(
        _: Any, info: Info, id: str, consistency_token: str | None = None
    ) -> Any:
        return await one(info, consistency_token, "company", id, relations=False)

    @staticmethod
    async def resolve_companies(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        first: int | None = None,
        after: str | None = None,
        kind: Any = None,
    ) -> Any:
        filters = Filters()
        filters.equal("k.企業種別", kind)
        select = f"SELECT {sql.COMPANY_COLUMNS} FROM 企業 k"
        return await connection(
            info, consistency_token, None, select, filters, Keyset(("企業ID",)), r.COMPANY, first,
            after,
        )  # fmt: skip
