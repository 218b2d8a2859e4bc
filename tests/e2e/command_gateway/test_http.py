"""The HTTP surface without a worker: company CRUD, validation, limits, health, GraphiQL."""

from __future__ import annotations

import json

import psycopg
import pytest

from compose.stack import Stack
from tests.e2e.command_gateway.api import send
from tests.e2e.command_gateway.conftest import KEYS
from tests.e2e.command_gateway.gateway_process import GatewayProcess, request
from tests.unit.streams.builders import unique_number

pytestmark = pytest.mark.integration
OPERATOR = KEYS["operator"]
COMPANY = """mutation($in: CreateCompanyInput!) { createCompany(input: $in) { companyId name
  companyType postalCode capitalYen establishedOn createdAt } }"""


def company(cid: str) -> dict[str, object]:
    return {"companyId": cid, "name": "株式会社D商事", "companyType": "OWN",
            "postalCode": "100-0001", "address": "東京都千代田区", "phone": "03-1234-5678",
            "representative": "山田太郎", "establishedOn": "1985-04-01",
            "capitalYen": 5_000_000_000, "employees": 250}  # fmt: skip


def column(stack: Stack, cid: str, name: str) -> object:
    with psycopg.connect(stack.settings.effective_database_url) as conn:
        row = conn.execute(f"SELECT {name} FROM 企業 WHERE 企業ID = %s", (cid,)).fetchone()
    return None if row is None else row[0]


def test_company_crud_goes_straight_into_postgres(stack: Stack, gateway: GatewayProcess) -> None:
    cid = f"CMP-{unique_number()}"
    status, body = gateway.graphql(COMPANY, {"in": company(cid)}, OPERATOR)
    created = body["data"]["createCompany"]
    assert status == 200 and created["capitalYen"] == 5_000_000_000
    assert (created["companyType"], created["establishedOn"]) == ("OWN", "1985-04-01")
    assert column(stack, cid, "企業種別") == "自社"
    _, again = gateway.graphql(COMPANY, {"in": company(cid)}, OPERATOR)
    assert again["errors"][0]["extensions"]["reason"] == "ALREADY_EXISTS"
    update = """mutation($id: String!) { updateCompany(input: {companyId: $id,
        companyType: PARTNER, employees: 260}) { companyType employees name } }"""
    _, body = gateway.graphql(update, {"id": cid}, OPERATOR)
    assert body["data"]["updateCompany"] == {"companyType": "PARTNER", "employees": 260,
                                             "name": "株式会社D商事"}  # fmt: skip
    assert column(stack, cid, "企業種別") == "取引先企業"
    delete = "mutation($id: String!) { deleteCompany(companyId: $id) { deleted } }"
    _, body = gateway.graphql(delete, {"id": cid}, OPERATOR)
    assert body["data"]["deleteCompany"] == {"deleted": True}
    assert column(stack, cid, "企業名") is None
    _, body = gateway.graphql(delete, {"id": cid}, OPERATOR)
    assert body["errors"][0]["extensions"]["reason"] == "NOT_FOUND"


def test_roles_decide_who_may_call_what(gateway: GatewayProcess) -> None:
    cid = f"CMP-{unique_number()}"
    status, body = gateway.graphql(COMPANY, {"in": company(cid)})
    assert status == 401 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    status, _ = gateway.graphql(COMPANY, {"in": company(cid)}, "not-a-key")
    assert status == 401
    for role in ("channel", "reader"):
        _, body = gateway.graphql(COMPANY, {"in": company(cid)}, KEYS[role])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", role
    _, errors = send(gateway, "activateWarehouse", {"warehouseId": "TKY"}, api_key=KEYS["reader"])
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    _, body = gateway.graphql("{ role }", key=KEYS["reader"])
    assert body["data"] == {"role": "reader"}


def test_invalid_input_is_a_validation_error_with_its_field_path(gateway: GatewayProcess) -> None:
    data, errors = send(
        gateway,
        "reserveStock",
        {"inventoryId": "PRD-000001@TKY-01", "reservationId": "R 1", "quantity": 1},
    )
    assert data is None
    assert errors[0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert errors[0]["extensions"]["fields"] == [["input", "reservationId"]]


def test_limits_refuse_costly_or_oversized_requests(gateway: GatewayProcess) -> None:
    one = 'activateWarehouse(input: {warehouseId: "TKY"}) { version }'
    many = " ".join(f"m{i}: {one}" for i in range(20))
    status, body = gateway.graphql(f"mutation {{ {many} }}", key=OPERATOR)
    assert status == 400 and body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    huge = json.dumps({"query": "#" + "x" * 70_000 + "\n{ role }"}).encode()
    status, body = request(f"{gateway.url}/api/graphql", huge,
                           {"Content-Type": "application/json", "X-API-Key": OPERATOR})  # fmt: skip
    assert status == 413 and body["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


def test_health_and_graphiql(gateway: GatewayProcess) -> None:
    status, body = gateway.health()
    assert status == 200
    assert body["kafka"]["reachable"] and body["postgres"]["reachable"]
    assert body["auth"] == "api-keys"
    status, page = request(f"{gateway.url}/api/graphql")
    assert status == 200 and "graphiql" in page.lower()
