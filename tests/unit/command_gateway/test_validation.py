"""Bad input becomes VALIDATION_ERROR with field paths, and nothing is produced."""

from __future__ import annotations

import pytest

from tests.unit.command_gateway.fakes import codes, gateway, graphql

RECEIVE = "mutation($in: ReceiveStockInput!, $key: String) { receiveStock(input: $in, " \
          "idempotencyKey: $key) { commandId } }"  # fmt: skip


def field_paths(response: object) -> list[list[str]]:
    return response.json()["errors"][0]["extensions"]["fields"]  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"inventoryId": "PRD-000001@TKY-01", "quantity": 0}, ["input", "quantity"]),
        ({"inventoryId": "PRD-1@TKY-01", "quantity": 5}, ["input", "inventoryId"]),
        (
            {"inventoryId": "PRD-000001@TKY-01", "quantity": 5, "note": "x" * 1001},
            ["input", "note"],
        ),
        (
            {"inventoryId": "PRD-000001@TKY-01", "quantity": 5, "operator": " "},
            ["input", "operator"],
        ),
    ],
)
def test_a_value_object_refusal_names_the_field_and_sends_nothing(
    values: dict[str, object], path: list[str]
) -> None:
    app, bus, _ = gateway()
    response = graphql(app.app, RECEIVE, {"in": values})
    assert codes(response) == ["VALIDATION_ERROR"]
    assert field_paths(response) == [path]
    assert bus.sent == []


def test_a_cross_field_rule_names_every_field_involved() -> None:
    app, bus, _ = gateway()
    response = graphql(
        app.app,
        """mutation { createZone(input: {zoneId: "TKY-01", name: "冷蔵",
        zoneType: CHILLED, capacity: 10, minTemperatureC: 8, maxTemperatureC: 2}) { version } }""",
    )
    assert codes(response) == ["VALIDATION_ERROR"]
    assert field_paths(response) == [["input", "minTemperatureC"], ["input", "maxTemperatureC"]]
    assert bus.sent == []


def test_a_transfer_within_one_zone_is_refused_before_sending() -> None:
    app, bus, _ = gateway()
    response = graphql(
        app.app,
        """mutation { transferStockOut(input: {inventoryId:
        "PRD-000001@TKY-01", transferId: "T-1", toInventoryId: "PRD-000001@TKY-01", quantity: 1})
        { version } }""",
    )
    assert codes(response) == ["VALIDATION_ERROR"]
    assert field_paths(response) == [["input", "inventoryId"], ["input", "toInventoryId"]]
    assert bus.sent == []


def test_a_malformed_idempotency_key_is_a_validation_error() -> None:
    app, bus, _ = gateway()
    values = {"inventoryId": "PRD-000001@TKY-01", "quantity": 5}
    response = graphql(app.app, RECEIVE, {"in": values, "key": "has spaces"})
    assert codes(response) == ["VALIDATION_ERROR"]
    assert field_paths(response) == [["idempotencyKey"]]
    assert bus.sent == []


def test_a_missing_required_field_is_refused_by_graphql_itself() -> None:
    app, bus, _ = gateway()
    response = graphql(app.app, RECEIVE, {"in": {"inventoryId": "PRD-000001@TKY-01"}})
    assert response.status == 200
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert bus.sent == []


def test_an_unknown_enum_value_is_refused_before_sending() -> None:
    app, bus, _ = gateway()
    response = graphql(
        app.app,
        """mutation { changeStorageCondition(input: {productId:
        "PRD-000001", storageCondition: WARM}) { version } }""",
    )
    assert response.status == 400
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"]
    assert bus.sent == []


def test_a_company_with_a_bad_postal_code_is_not_stored() -> None:
    app, _, store = gateway()
    response = graphql(
        app.app,
        """mutation { createCompany(input: {companyId: "CMP-0001",
        name: "D商事", companyType: OWN, postalCode: "1000001", address: "東京都",
        phone: "03-1234-5678", representative: "山田", establishedOn: "1985-04-01",
        capitalYen: 50000000, employees: 250}) { companyId } }""",
    )
    assert codes(response) == ["VALIDATION_ERROR"]
    assert field_paths(response) == [["input", "postalCode"]]
    assert store.rows == {}
