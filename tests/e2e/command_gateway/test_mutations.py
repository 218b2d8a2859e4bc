"""Every mutation over HTTP, through Kafka and the real worker, accepted and rejected."""

from __future__ import annotations

from typing import Any

import pytest

from command_gateway.api.commands import PUBLIC_COMMANDS
from tests.e2e.command_gateway.api import accepted, in_parallel, rejection, send
from tests.e2e.command_gateway.gateway_process import GatewayProcess
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.streams.builders import unique_number, unique_warehouse

pytestmark = pytest.mark.integration


def product(pid: str, condition: str = "AMBIENT", category: str = "FOOD") -> dict[str, Any]:
    return {"productId": pid, "name": "醤油 1L", "sku": f"SKU-{pid[4:]}", "category": category,
            "storageCondition": condition, "unit": "本", "referencePrice": 298}  # fmt: skip


def warehouse(wid: str) -> dict[str, Any]:
    return {"warehouseId": wid, "name": f"{wid} 倉庫", "location": "東京都江東区",
            "floorAreaM2": 5000.0, "capacity": 100000}  # fmt: skip


def zone(zid: str, zone_type: str = "AMBIENT") -> dict[str, Any]:
    return {"zoneId": zid, "name": f"区画 {zid}", "zoneType": zone_type, "capacity": 1000}


@pytest.fixture(scope="module")
def api(worker: WorkerProcess, gateway: GatewayProcess) -> GatewayProcess:
    """The gateway, with a worker answering its commands."""
    return gateway


Step = tuple[str, dict[str, Any], list[str], int]


def run_chain(api: GatewayProcess, steps: list[Step]) -> list[str]:
    """Run one aggregate's steps in order, checking events, version and token of each."""
    for name, values, events, version in steps:
        result = accepted(api, name, values)
        assert (result["eventTypes"], result["version"]) == (events, version), name
        assert result["consistencyToken"] == f"{result['aggregateId']}:{version}"
    return [name for name, *_ in steps]


def test_every_command_mutation_is_accepted_with_its_version_and_token(
    api: GatewayProcess,
) -> None:
    n, w = unique_number(), unique_warehouse()
    p, c, z1, z2 = f"PRD-{n}", f"CUS-{n}", f"{w}-01", f"{w}-02"
    inv = f"{p}@{z1}"
    masters: list[list[Step]] = [
        [("createProduct", product(p), ["ProductCreated_V1"], 1),
         ("updateProduct", {"productId": p, "name": "濃口醤油 1L"}, ["ProductUpdated_V1"], 2)],
        [("createCustomer", {"customerId": c, "companyId": "CMP-0001", "name": "スーパー丸和",
                             "customerType": "SUPERMARKET", "address": "東京都", "contact": "03"},
          ["CustomerCreated_V1"], 1),
         ("updateCustomer", {"customerId": c, "contact": "03-1111-2222"},
          ["CustomerUpdated_V1"], 2),
         ("changeCustomerType", {"customerId": c, "customerType": "RETAILER"},
          ["CustomerTypeChanged_V1"], 3),
         ("deactivateCustomer", {"customerId": c, "reason": "取引終了"},
          ["CustomerDeactivated_V1"], 4)],
        [("createWarehouse", warehouse(w), ["WarehouseCreated_V1"], 1),
         ("updateWarehouse", {"warehouseId": w, "location": "東京都江東区新木場"},
          ["WarehouseUpdated_V1"], 2),
         ("changeWarehouseCapacity", {"warehouseId": w, "capacity": 120000},
          ["CapacityChanged_V1"], 3),
         ("deactivateWarehouse", {"warehouseId": w}, ["WarehouseDeactivated_V1"], 4),
         ("activateWarehouse", {"warehouseId": w}, ["WarehouseActivated_V1"], 5)],
        [("createZone", zone(z1), ["ZoneCreated_V1"], 1),
         ("updateZone", {"zoneId": z1, "minTemperatureC": 5.0, "maxTemperatureC": 25.0},
          ["ZoneUpdated_V1"], 2),
         ("changeZoneCapacity", {"zoneId": z1, "capacity": 1500}, ["ZoneCapacityChanged_V1"], 3)],
        [("createZone", zone(z2), ["ZoneCreated_V1"], 1)],
    ]  # fmt: skip
    stock: list[Step] = [
        ("createInventory", {"inventoryId": inv}, ["InventoryCreated_V1"], 1),
        ("receiveStock", {"inventoryId": inv, "quantity": 50, "operator": "山田"},
         ["StockReceived_V1"], 2),
        ("reserveStock", {"inventoryId": inv, "reservationId": "R-1", "quantity": 10,
                          "customerId": c}, ["StockReserved_V1"], 3),
        ("releaseStock", {"inventoryId": inv, "reservationId": "R-1"}, ["StockReleased_V1"], 4),
        ("reserveStock", {"inventoryId": inv, "reservationId": "R-2", "quantity": 5},
         ["StockReserved_V1"], 5),
        ("issueStock", {"inventoryId": inv, "quantity": 5, "reservationId": "R-2"},
         ["StockIssued_V1"], 6),
        ("adjustStock", {"inventoryId": inv, "delta": -2, "reason": "DAMAGE"},
         ["StockAdjusted_V1"], 7),
        ("transferStockOut", {"inventoryId": inv, "transferId": f"T-{n}",
                              "toInventoryId": f"{p}@{z2}", "quantity": 3},
         ["ZoneTransferred_V1"], 8),
    ]  # fmt: skip
    endings: list[list[Step]] = [
        [("changeStorageCondition", {"productId": p, "storageCondition": "CHILLED"},
          ["StorageConditionChanged_V1"], 3),
         ("discontinueProduct", {"productId": p, "reason": "終売"},
          ["ProductDiscontinued_V1"], 4)],
        [("deactivateZone", {"zoneId": z2}, ["ZoneDeactivated_V1"], 2)],
    ]  # fmt: skip
    seen = [name for chain in in_parallel(lambda s: run_chain(api, s), masters) for name in chain]
    seen += run_chain(api, stock)  # after the masters: placement reads their facts
    seen += [name for chain in in_parallel(lambda s: run_chain(api, s), endings) for name in chain]
    assert set(seen) == {name[0].lower() + name[1:] for name in PUBLIC_COMMANDS}


def test_each_reachable_rejection_comes_back_with_its_domain_code(api: GatewayProcess) -> None:
    n, w, dead = unique_number(), unique_warehouse(), unique_warehouse()
    p, food, goods, c = f"PRD-{n}", f"PRD-{n + 1}", f"PRD-{n + 2}", f"CUS-{n}"
    cold, gone = f"{w}-01", f"{w}-02"
    ok = f"{p}@{w}-03"
    creates = [("createProduct", product(p)), ("createProduct", product(food)),
               ("createWarehouse", warehouse(w)), ("createWarehouse", warehouse(dead)),
               ("createZone", zone(cold, "CHILLED")), ("createZone", zone(gone)),
               ("createZone", zone(f"{w}-03")), ("createZone", zone(f"{dead}-01")),
               ("createCustomer", {"customerId": c, "companyId": "CMP-0001", "name": "飲食店A",
                                   "customerType": "RESTAURANT", "address": "大阪",
                                   "contact": "06"})]  # fmt: skip
    changes = [("deactivateZone", {"zoneId": gone}),
               ("deactivateWarehouse", {"warehouseId": dead}),
               ("deactivateCustomer", {"customerId": c}),
               ("discontinueProduct", {"productId": food}),
               ("createInventory", {"inventoryId": ok})]  # fmt: skip
    movements = [("receiveStock", {"inventoryId": ok, "quantity": 10}),
                 ("reserveStock", {"inventoryId": ok, "reservationId": "R-1", "quantity": 4}),
                 ("releaseStock", {"inventoryId": ok, "reservationId": "R-1"}),
                 ("reserveStock", {"inventoryId": ok, "reservationId": "R-2", "quantity": 4}),
                 ("transferStockOut", {"inventoryId": ok, "transferId": "T-1",
                                       "toInventoryId": f"{p}@{cold}", "quantity": 1})]  # fmt: skip
    for phase in (creates, changes):
        in_parallel(lambda step: accepted(api, *step), phase)
    for name, values in movements:
        accepted(api, name, values)
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("ALREADY_EXISTS", "createProduct", product(p)),
        ("CATEGORY_STORAGE_MISMATCH", "createProduct", product(goods, "CHILLED", "DAILY_GOODS")),
        ("NOT_FOUND", "updateProduct", {"productId": goods, "name": "x"}),
        ("PRODUCT_DISCONTINUED", "updateProduct", {"productId": food, "name": "x"}),
        ("ALREADY_INACTIVE", "discontinueProduct", {"productId": food}),
        ("CUSTOMER_INACTIVE", "updateCustomer", {"customerId": c, "name": "x"}),
        ("ALREADY_INACTIVE", "deactivateCustomer", {"customerId": c}),
        ("ALREADY_ACTIVE", "activateWarehouse", {"warehouseId": w}),
        ("ALREADY_INACTIVE", "deactivateWarehouse", {"warehouseId": dead}),
        ("ZONE_INACTIVE", "changeZoneCapacity", {"zoneId": gone, "capacity": 1}),
        ("ALREADY_INACTIVE", "deactivateZone", {"zoneId": gone}),
        ("NOT_FOUND", "receiveStock", {"inventoryId": f"{p}@{w}-01", "quantity": 1}),
        ("UNKNOWN_PRODUCT", "createInventory", {"inventoryId": f"PRD-{n + 3}@{w}-03"}),
        ("UNKNOWN_WAREHOUSE", "createInventory", {"inventoryId": f"{p}@{unique_warehouse()}-01"}),
        ("UNKNOWN_ZONE", "createInventory", {"inventoryId": f"{p}@{w}-09"}),
        ("PRODUCT_DISCONTINUED", "createInventory", {"inventoryId": f"{food}@{w}-03"}),
        ("WAREHOUSE_INACTIVE", "createInventory", {"inventoryId": f"{p}@{dead}-01"}),
        ("ZONE_INACTIVE", "createInventory", {"inventoryId": f"{p}@{gone}"}),
        ("STORAGE_CONDITION_VIOLATION", "createInventory", {"inventoryId": f"{p}@{cold}"}),
        ("ALREADY_EXISTS", "createInventory", {"inventoryId": ok}),
        ("INSUFFICIENT_STOCK", "issueStock", {"inventoryId": ok, "quantity": 100}),
        ("UNKNOWN_RESERVATION", "releaseStock", {"inventoryId": ok, "reservationId": "R-9"}),
        ("RESERVATION_ALREADY_RELEASED", "releaseStock", {"inventoryId": ok,
                                                          "reservationId": "R-1"}),
        ("DUPLICATE_RESERVATION", "reserveStock", {"inventoryId": ok, "reservationId": "R-2",
                                                   "quantity": 1}),
        ("RESERVATION_EXCEEDS_ON_HAND", "reserveStock", {"inventoryId": ok,
                                                         "reservationId": "R-3", "quantity": 99}),
        ("RESERVATION_EXCEEDS_ON_HAND", "adjustStock", {"inventoryId": ok, "delta": -6,
                                                        "reason": "LOSS"}),
        ("INSUFFICIENT_STOCK", "adjustStock", {"inventoryId": ok, "delta": -50,
                                               "reason": "STOCKTAKE_DIFFERENCE"}),
        ("DUPLICATE_TRANSFER", "transferStockOut", {"inventoryId": ok, "transferId": "T-1",
                                                    "toInventoryId": f"{p}@{cold}",
                                                    "quantity": 1}),
    ]  # fmt: skip
    # each case is refused, so none changes what another one sees: send them all at once
    got = in_parallel(lambda case: (rejection(api, case[1], case[2]), case[1]), cases)
    assert got == [(code, name) for code, name, _ in cases]


def test_a_wrong_expected_version_is_rejected_as_concurrency(api: GatewayProcess) -> None:
    p = f"PRD-{unique_number()}"
    accepted(api, "createProduct", product(p))
    assert rejection(api, "updateProduct", {"productId": p, "name": "x"}, version=5) == (
        "CONCURRENCY"
    )
    assert accepted(api, "updateProduct", {"productId": p, "name": "x"}, version=1)["version"] == 2


def test_a_retried_mutation_with_the_same_idempotency_key_applies_once(
    api: GatewayProcess,
) -> None:
    p = f"PRD-{unique_number()}"
    inv = f"{p}@{unique_warehouse()}-01"
    accepted(api, "createProduct", product(p))
    key = f"order-{p}-line-1"
    first = accepted(api, "updateProduct", {"productId": p, "name": "一回目"}, key=key)
    again = accepted(api, "updateProduct", {"productId": p, "name": "一回目"}, key=key)
    assert first == again and first["commandId"] == key and first["version"] == 2
    fresh = accepted(api, "updateProduct", {"productId": p, "unit": "箱"})
    assert fresh["version"] == 3  # the retry appended nothing
    rejected_key = f"{key}-unknown-zone"
    data, errors = send(api, "createInventory", {"inventoryId": inv}, key=rejected_key)
    retried, errors_again = send(api, "createInventory", {"inventoryId": inv}, key=rejected_key)
    assert data is retried is None
    assert errors[0]["extensions"] == errors_again[0]["extensions"]
    assert errors[0]["extensions"]["reason"] == "UNKNOWN_WAREHOUSE"


def test_a_key_reused_for_another_inventory_is_refused_and_moves_nothing(
    api: GatewayProcess,
) -> None:
    n, w = unique_number(), unique_warehouse()
    a, b = f"PRD-{n}@{w}-01", f"PRD-{n + 1}@{w}-01"
    in_parallel(lambda step: accepted(api, *step), [
        ("createProduct", product(f"PRD-{n}")), ("createProduct", product(f"PRD-{n + 1}")),
        ("createWarehouse", warehouse(w))])  # fmt: skip
    accepted(api, "createZone", zone(f"{w}-01"))
    for inv in (a, b):
        accepted(api, "createInventory", {"inventoryId": inv})
    key = f"K-{n}"
    first = accepted(api, "receiveStock", {"inventoryId": a, "quantity": 10}, key=key)
    data, errors = send(api, "receiveStock", {"inventoryId": b, "quantity": 7}, key=key)
    assert data is None and len(errors) == 1, errors
    extensions = errors[0]["extensions"]
    assert extensions["code"] == extensions["reason"] == "IDEMPOTENCY_KEY_REUSED"
    assert (extensions["commandId"], extensions["aggregateId"]) == (key, b)
    # B got nothing: its next receipt is its second event (created, then this one)
    assert accepted(api, "receiveStock", {"inventoryId": b, "quantity": 7})["version"] == 2
    assert accepted(api, "receiveStock", {"inventoryId": a, "quantity": 10}, key=key) == first
