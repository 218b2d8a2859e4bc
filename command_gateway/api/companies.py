"""Company (企業) CRUD mutations, straight into PostgreSQL; operators only, no events."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Mapping
from typing import Any, TypeVar

import graphene

from command_gateway.api.context import RequestContext
from command_gateway.api.inputs import graphql_enum
from command_gateway.auth import Permission
from command_gateway.errors import REJECTED, UNAVAILABLE, GatewayError, validation_error
from command_gateway.ports import (
    CompanyExistsError,
    CompanyNotFoundError,
    CompanyStoreUnavailableError,
)
from domain.company import Company as CompanyRecord
from domain.enums import CompanyType
from domain.errors import DomainError

T = TypeVar("T")
FIELDS = [f.name for f in dataclasses.fields(CompanyRecord)]
CompanyTypeEnum = graphql_enum(CompanyType)


class Company(graphene.ObjectType):  # type: ignore[misc]
    """A row of 企業 as it is after the mutation."""

    company_id = graphene.String(required=True)
    name = graphene.String(required=True)
    company_type = graphene.Field(CompanyTypeEnum, required=True)
    postal_code = graphene.String()
    address = graphene.String()
    phone = graphene.String()
    representative = graphene.String()
    established_on = graphene.Date()
    capital_yen = graphene.BigInt()
    employees = graphene.Int()
    created_at = graphene.DateTime()
    updated_at = graphene.DateTime()


class CreateCompanyInput(graphene.InputObjectType):  # type: ignore[misc]
    company_id = graphene.String(required=True)
    name = graphene.String(required=True)
    company_type = CompanyTypeEnum(required=True)
    postal_code = graphene.String(required=True)
    address = graphene.String(required=True)
    phone = graphene.String(required=True)
    representative = graphene.String(required=True)
    established_on = graphene.Date(required=True)
    capital_yen = graphene.BigInt(required=True)
    employees = graphene.Int(required=True)


class UpdateCompanyInput(graphene.InputObjectType):  # type: ignore[misc]
    """A field left out keeps its current value."""

    company_id = graphene.String(required=True)
    name = graphene.String()
    company_type = CompanyTypeEnum()
    postal_code = graphene.String()
    address = graphene.String()
    phone = graphene.String()
    representative = graphene.String()
    established_on = graphene.Date()
    capital_yen = graphene.BigInt()
    employees = graphene.Int()


class DeleteCompanyResult(graphene.ObjectType):  # type: ignore[misc]
    company_id = graphene.String(required=True)
    deleted = graphene.Boolean(required=True)


def _record(values: Mapping[str, Any]) -> CompanyRecord:
    try:
        fields: dict[str, Any] = {f: values.get(f) for f in FIELDS}
        return CompanyRecord(**fields)
    except DomainError as e:
        raise validation_error(e, FIELDS) from None


def _company(row: Mapping[str, Any]) -> Company:
    return Company(**{k: CompanyType(v) if k == "company_type" else v for k, v in row.items()})


def _rejected(code: str, company_id: str) -> GatewayError:
    text = {"ALREADY_EXISTS": "exists already", "NOT_FOUND": "does not exist"}[code]
    return GatewayError(f"company {company_id} {text}", REJECTED, reason=code,
                        companyId=company_id)  # fmt: skip


async def _db(call: Awaitable[T]) -> T:
    """Await a store call; a database that is down is UNAVAILABLE, not an internal error."""
    try:
        return await call
    except CompanyStoreUnavailableError as e:
        raise GatewayError(f"company store unavailable: {e}", UNAVAILABLE) from None


class CreateCompany(graphene.Mutation):  # type: ignore[misc]
    class Arguments:
        input = CreateCompanyInput(required=True)

    Output = graphene.NonNull(Company)

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Mapping[str, Any]) -> Company:
        ctx: RequestContext = info.context
        ctx.require(Permission.COMPANIES)
        record = _record(input)
        try:
            return _company(await _db(ctx.companies.create(record)))
        except CompanyExistsError:
            raise _rejected("ALREADY_EXISTS", record.company_id) from None


class UpdateCompany(graphene.Mutation):  # type: ignore[misc]
    class Arguments:
        input = UpdateCompanyInput(required=True)

    Output = graphene.NonNull(Company)

    @staticmethod
    async def mutate(_root: Any, info: Any, input: Mapping[str, Any]) -> Company:
        ctx: RequestContext = info.context
        ctx.require(Permission.COMPANIES)
        company_id = input["company_id"]
        current = await _db(ctx.companies.get(company_id))
        if current is None:
            raise _rejected("NOT_FOUND", company_id)
        changes = {k: v for k, v in input.items() if v is not None}
        record = _record({**current, **changes})
        try:
            return _company(await _db(ctx.companies.update(record)))
        except CompanyNotFoundError:
            raise _rejected("NOT_FOUND", company_id) from None


class DeleteCompany(graphene.Mutation):  # type: ignore[misc]
    class Arguments:
        company_id = graphene.String(required=True)

    Output = graphene.NonNull(DeleteCompanyResult)

    @staticmethod
    async def mutate(_root: Any, info: Any, company_id: str) -> DeleteCompanyResult:
        ctx: RequestContext = info.context
        ctx.require(Permission.COMPANIES)
        if not await _db(ctx.companies.delete(company_id)):
            raise _rejected("NOT_FOUND", company_id)
        return DeleteCompanyResult(company_id=company_id, deleted=True)
