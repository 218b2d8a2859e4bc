"""The live operations page in headless Chromium, against the whole system on test ports.

The page's figures are checked against the read model (SQL) and against the services'
/metrics scraped directly; a further command must show up without a reload (SSE).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from confluent_kafka import Producer
from prometheus_client.parser import text_string_to_metric_families
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from compose.settings import StackSettings
from compose.stack import Stack
from schemas import (
    INVENTORY_NOTIFICATIONS_TOPIC,
    Notification,
    NotificationKind,
    NotificationSeverity,
    NotificationState,
    encode,
)
from tests.browser.chromium import outside_requests, requested_urls, screenshot
from tests.integration.conftest import free_port_block, stack_settings_for
from tests.unit.codes import unique_warehouse
from tests.unit.streams.builders import unique_number

pytestmark = pytest.mark.integration

PORTS = free_port_block(28500, {"kafka": 92, "dynamodb": 93, "postgres": 94, "redis": 95,
                                "command_api": 96, "query_api": 97})  # fmt: skip
WAIT_S = 90.0


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Start the whole system on test ports; stop every process of it afterwards."""
    settings = stack_settings_for(tmp_path_factory.mktemp("ops") / "state", PORTS)
    stack = Stack(settings)
    with pytest.MonkeyPatch.context() as env:  # the services inherit the environment
        env.setenv("ZAIKO_WORKER_WEB_PORT", "0")  # never the demo worker's port
        env.setenv("ZAIKO_CONFIG_FILE", str(settings.state_dir.parent / "no-zaiko.toml"))
        try:
            stack.up(with_services=True)
            yield stack
        finally:
            stack.down()


def graphql(port: int, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """POST a GraphQL request; return the decoded response."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/graphql", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        result: dict[str, Any] = json.loads(response.read())
    return result


def command(settings: StackSettings, name: str, values: dict[str, Any]) -> None:
    """Run one mutation of the Command API; fail unless it is accepted."""
    input_type = name[0].upper() + name[1:] + "Input"
    text = f"mutation($in: {input_type}!) {{ {name}(input: $in) {{ version }} }}"
    answer = graphql(settings.command_api_port, text, {"in": values})
    assert "errors" not in answer, (name, values, answer)


def zone_row(settings: StackSettings, warehouse: str, zone_no: str) -> tuple[int, int, float]:
    """Return the zone's (現在庫数, 有効在庫数, 使用率) as zoneSummaries reads them."""
    with psycopg.connect(settings.effective_database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT 現在庫数, 有効在庫数, 使用率 FROM 区画使用率 WHERE 倉庫コード = %s"
            " AND 区画番号 = %s",
            (warehouse, zone_no),
        ).fetchone()
    if row is None or None in row:  # not projected yet (a zone's usage is NULL until then)
        return (-1, -1, -1.0)
    return (int(row[0]), int(row[1]), float(row[2]))


def publish_notification(settings: StackSettings, inventory: str) -> str:
    """Publish one 引当失敗 notification on its topic, as the worker will; return its id."""
    notification = Notification(
        notification_id=str(uuid.uuid4()), kind=NotificationKind.ALLOCATION_FAILED,
        state=NotificationState.RAISED, severity=NotificationSeverity.WARNING, subject=inventory,
        title="引当失敗", message="有効在庫数が不足しています", code="INSUFFICIENT_STOCK",
        occurred_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    producer = Producer({"bootstrap.servers": settings.kafka_bootstrap_servers, "acks": "all"})
    producer.produce(INVENTORY_NOTIFICATIONS_TOPIC, encode(notification), inventory.encode())
    assert producer.flush(30) == 0, "the notification was not delivered"
    return notification.notification_id


def parked_count(settings: StackSettings) -> int:
    """Return how many aggregates 投影保留 holds."""
    with psycopg.connect(settings.effective_database_url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM 投影保留").fetchone()
    return int(row[0]) if row else -1


def scraped(urls: list[str], sample_name: str) -> float | None:
    """Return the sum of ``sample_name`` over ``urls`` scraped now (None: nobody exposes it)."""
    total = None
    for url in urls:
        with urllib.request.urlopen(url, timeout=5) as response:
            text = response.read().decode()
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                if s.name == sample_name:
                    total = (total or 0.0) + s.value
    return total


def shown(driver: webdriver.Chrome, css: str, attribute: str = "data-value") -> str | None:
    """Return an attribute (or ``text``) of the first element matching ``css``; None if none."""
    # read in the page in one step: the page re-renders its tables as data arrives
    script = (
        "const e = document.querySelector(arguments[0]); if (!e) return null;"
        " return arguments[1] === 'text' ? e.textContent : e.getAttribute(arguments[1]);"
    )
    value = driver.execute_script(script, css, attribute)
    return None if value is None else str(value)


def texts(driver: webdriver.Chrome, css: str, attribute: str) -> list[str]:
    """Return an attribute of every element matching ``css``, read in one step."""
    script = (
        "return [...document.querySelectorAll(arguments[0])]"
        ".map(e => e.getAttribute(arguments[1]));"
    )
    return [str(v) for v in driver.execute_script(script, css, attribute)]


def test_the_page_shows_stock_alerts_and_metrics_and_follows_a_command_live(
    system: Stack, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    settings = system.settings
    n, w = unique_number(), unique_warehouse()
    product, zone = f"PRD-{n}", f"{w}-01"
    inventory = f"{product}@{zone}"
    command(
        settings,
        "createProduct",
        {
            "productId": product,
            "name": "運用 天然水 2L",
            "sku": f"SKU-{n}",
            "category": "FOOD",
            "storageCondition": "AMBIENT",
            "unit": "本",
        },
    )
    command(
        settings,
        "createWarehouse",
        {
            "warehouseId": w,
            "name": f"{w} 倉庫",
            "location": "東京都江東区",
            "floorAreaM2": 5000.0,
            "capacity": 100000,
        },
    )
    command(settings, "createZone", {"zoneId": zone, "name": "常温A", "zoneType": "AMBIENT",
                                     "capacity": 200})  # fmt: skip
    command(settings, "createInventory", {"inventoryId": inventory})
    command(settings, "receiveStock", {"inventoryId": inventory, "quantity": 50})
    command(settings, "issueStock", {"inventoryId": inventory, "quantity": 45})  # 5 ≤ 10: alert
    reservation = {"inventoryId": inventory, "reservationId": f"R-{n}", "quantity": 2}
    command(settings, "reserveStock", reservation)  # 在庫数 5, 有効在庫数 3
    wait = WebDriverWait(browser, WAIT_S, poll_frequency=0.25)
    wait.until(lambda _: zone_row(settings, w, "01")[:2] == (5, 3))
    on_hand, available, ratio = zone_row(settings, w, "01")

    browser.set_window_size(1400, 1800)
    browser.get(f"http://127.0.0.1:{settings.query_api_port}/")
    wait.until(lambda d: shown(d, f'#zone-{zone} [data-field="在庫数"]') == str(on_hand))
    assert shown(browser, f'#zone-{zone} [data-field="有効在庫数"]') == str(available) == "3"
    assert float(shown(browser, f'#zone-{zone} [data-field="区画稼働率"]') or "nan") == ratio
    assert ratio == 5 / 200
    assert f"{ratio * 100:.1f}%" in (shown(browser, f"#zone-{zone}", "text") or "")
    alert = f'#alerts li[data-product="{product}"]'
    wait.until(lambda d: shown(d, alert, "data-available") is not None)
    assert (
        shown(browser, alert, "data-available") == "5"
        and shown(browser, alert, "data-zone") == zone
    )

    assert shown(browser, "#parked-total") == str(parked_count(settings))
    command_graphiql = f"http://127.0.0.1:{settings.command_api_port}/api/graphql"
    assert shown(browser, "#link-command-graphiql", "href") == command_graphiql
    assert shown(browser, "#link-query-graphiql", "href") == "/api/graphql"

    # every service instance's metrics endpoint is scraped, and answers
    urls = sorted(s.metrics_url for s in system.services if s.metrics_url)
    assert len(urls) == 5, urls  # two gateways, worker, bridge, projector
    endpoints = "#endpoints li"
    wait.until(lambda d: texts(d, endpoints, "data-up") == ["true"] * 5)
    assert sorted(texts(browser, endpoints, "data-url")) == urls
    # the command count shown is what the services' metrics say, once they expose it
    commands_total = scraped(urls, "zaiko_commands_total")
    if commands_total is None:  # the worker's metrics are not on this branch yet
        assert shown(browser, "#m-commands-total") == ""
        assert shown(browser, "#m-commands-total", "text") == "—"
    else:
        assert commands_total >= 6
        wait.until(
            lambda d: (
                float(shown(d, "#m-commands-total") or -1) == scraped(urls, "zaiko_commands_total")
            )
        )

    # one more command: the page follows it without reloading
    browser.execute_script("window.__notReloaded = true;")
    events_before = int(shown(browser, "body", "data-sse-events") or 0)
    command(settings, "receiveStock", {"inventoryId": inventory, "quantity": 20})
    wait.until(lambda d: shown(d, f'#zone-{zone} [data-field="在庫数"]') == "25")
    assert browser.execute_script("return window.__notReloaded === true;")
    assert int(shown(browser, "body", "data-sse-events") or 0) > events_before
    assert zone_row(settings, w, "01")[0] == 25
    notification = publish_notification(settings, inventory)
    shown_kind = f'#notifications li[data-notification-id="{notification}"]'
    wait.until(lambda d: shown(d, shown_kind, "data-kind") == "ALLOCATION_FAILED")
    assert "引当失敗・発生" in (shown(browser, shown_kind, "text") or "")
    assert browser.execute_script("return window.__notReloaded === true;")

    assert outside_requests(requested_urls(browser)) == []
    shot = screenshot(browser, tmp_path / "ops-page.png")
    print(f"screenshot: {shot}")
