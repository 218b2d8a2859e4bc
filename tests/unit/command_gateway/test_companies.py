"""Company CRUD mutations over an in-memory store."""

from __future__ import annotations

from tests.unit.command_gateway.fakes import codes, gateway, graphql

CREATE = """mutation { createCompany(input: {companyId: "CMP-0001", name: "株式会社D商事",
  companyType: OWN, postalCode: "100-0001", address: "東京都千代田区", phone: "03-1234-5678",
  representative: "山田太郎", establishedOn: "1985-04-01", capitalYen: 5000000000,
  employees: 250}) { companyId name companyType capitalYen establishedOn } }"""


def test_create_update_delete_a_company() -> None:
    app, _, store = gateway()
    created = graphql(app.app, CREATE).json()["data"]["createCompany"]
    assert created == {"companyId": "CMP-0001", "name": "株式会社D商事", "companyType": "OWN",
                       "capitalYen": 5000000000, "establishedOn": "1985-04-01"}  # fmt: skip
    updated = graphql(
        app.app,
        """mutation { updateCompany(input: {companyId: "CMP-0001",
        employees: 260}) { employees name } }""",
    ).json()["data"]["updateCompany"]
    assert updated == {"employees": 260, "name": "株式会社D商事"}
    deleted = graphql(app.app, 'mutation { deleteCompany(companyId: "CMP-0001") { deleted } }')
    assert deleted.json()["data"]["deleteCompany"] == {"deleted": True}
    assert store.rows == {}


def test_creating_a_company_twice_is_rejected_as_already_existing() -> None:
    app, _, _ = gateway()
    graphql(app.app, CREATE)
    error = graphql(app.app, CREATE).json()["errors"][0]
    assert error["extensions"]["code"] == "REJECTED"
    assert error["extensions"]["reason"] == "ALREADY_EXISTS"


def test_updating_or_deleting_an_unknown_company_is_rejected_as_not_found() -> None:
    app, _, _ = gateway()
    update = graphql(
        app.app,
        """mutation { updateCompany(input: {companyId: "CMP-9999",
        name: "x"}) { name } }""",
    )
    delete = graphql(app.app, 'mutation { deleteCompany(companyId: "CMP-9999") { deleted } }')
    for response in (update, delete):
        assert codes(response) == ["REJECTED"]
        assert response.json()["errors"][0]["extensions"]["reason"] == "NOT_FOUND"


def test_an_update_is_validated_against_the_whole_merged_company() -> None:
    app, _, store = gateway()
    graphql(app.app, CREATE)
    response = graphql(
        app.app,
        """mutation { updateCompany(input: {companyId: "CMP-0001",
        phone: "call me"}) { phone } }""",
    )
    assert codes(response) == ["VALIDATION_ERROR"]
    assert response.json()["errors"][0]["extensions"]["fields"] == [["input", "phone"]]
    assert store.rows["CMP-0001"]["phone"] == "03-1234-5678"
