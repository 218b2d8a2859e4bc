"""GraphiQL renders and runs a query in chromium with no network beyond 127.0.0.1."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from compose.stack import Stack
from connectors.graphql.graphiql import ASSETS
from connectors.settings import ZaikoSettings
from query_gateway.settings import QueryGatewaySettings
from tests.browser.chromium import outside_requests, requested_urls, screenshot
from tests.e2e.command_gateway.gateway_process import GatewayProcess
from tests.e2e.query_gateway.dataset import fill, private_database, product_plan, rows
from tests.e2e.query_gateway.server import GatewayServer

pytestmark = pytest.mark.integration

EDITOR = ".graphiql-query-editor .CodeMirror"
RESPONSE = ".graphiql-response .CodeMirror"
CREATE_COMPANY = """mutation {
  createCompany(input: {companyId: "%s", name: "株式会社GraphiQL商事",
    companyType: PARTNER, postalCode: "100-0001", address: "東京都千代田区",
    phone: "03-1234-5678", representative: "山田太郎", establishedOn: "1990-04-01",
    capitalYen: 10000000, employees: 12}) {
    companyId name companyType
  }
}
"""
WAREHOUSES = "{\n  warehouses { code name }\n}\n"


@pytest.fixture(scope="module")
def command_gateway(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Command API as the CLI runs it (a subprocess, open: no keys); yield its URL."""
    process = GatewayProcess(stack.settings, tmp_path_factory.mktemp("command-gateway"))
    try:
        yield process.start().url
    finally:
        process.stop()


@pytest.fixture(scope="module")
def read_model(settings: ZaikoSettings) -> Iterator[str]:
    """A private read model filled with the e2e data set (three warehouses)."""
    with private_database(settings.effective_database_url) as url:
        fill(url, product_plan(6), 2)
        yield url


@pytest.fixture(scope="module")
def query_gateway(settings: ZaikoSettings, read_model: str) -> Iterator[str]:
    """The Query API on the private read model (uvicorn in a thread); yield its URL."""
    redis = settings.effective_redis_url.rsplit("/", 1)[0] + "/15"
    server = GatewayServer(
        QueryGatewaySettings(
            database_url=read_model,
            redis_url=redis,
            api_keys=None,
            kafka_bootstrap_servers=settings.kafka_bootstrap_servers,
        )
    ).start()
    try:
        yield server.url
    finally:
        server.stop()


def run_in_graphiql(driver: webdriver.Chrome, url: str, query: str) -> Any:
    """Open GraphiQL at ``url``, put ``query`` in its editor, press run; return the response."""
    driver.get(url)
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, EDITOR))
    driver.execute_script(f"document.querySelector('{EDITOR}').CodeMirror.setValue(arguments[0])",
                          query)  # fmt: skip
    driver.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
    shown = wait.until(lambda d: _response(d) or False)
    return json.loads(shown)


def _response(driver: webdriver.Chrome) -> str | None:
    """Return the response pane's text once it holds a complete JSON document."""
    script = f"const cm = document.querySelector('{RESPONSE}');"
    text: str = driver.execute_script(script + "return cm ? cm.CodeMirror.getValue() : ''")
    try:
        json.loads(text)
    except ValueError:
        return None
    return text


def assert_stayed_local(driver: webdriver.Chrome, page_url: str) -> None:
    """Check every request went to 127.0.0.1 and the page's own assets were among them."""
    urls = requested_urls(driver)
    assert outside_requests(urls) == []
    assets = {u for u in urls if u.startswith(f"{page_url}/static/")}
    assert assets == {f"{page_url}/static/{name}" for name in ASSETS}, urls
    # A refused asset or script would be logged here (the favicon's 404 may be too).
    logged = [e["message"] for e in driver.get_log("browser")]
    assert [m for m in logged if "Content Security Policy" in m or "/static/" in m] == []


def test_command_graphiql_runs_a_mutation_offline(
    browser: webdriver.Chrome, command_gateway: str, stack: Stack, tmp_path: Path
) -> None:
    page = f"{command_gateway}/api/graphql"
    company_id = f"CMP-{time.time_ns() % 10**12:012d}"
    browser.get(page)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, EDITOR))
    assert browser.title == "Zaiko Command API"
    opened_with = browser.execute_script(
        f"return document.querySelector('{EDITOR}').CodeMirror.getValue()"
    )
    assert "receiveStock(" in opened_with
    shown = run_in_graphiql(browser, page, CREATE_COMPANY % company_id)
    screenshot(browser, tmp_path / "command-graphiql.png")
    created = {"companyId": company_id, "name": "株式会社GraphiQL商事", "companyType": "PARTNER"}
    assert shown == {"data": {"createCompany": created}}
    assert (
        "株式会社GraphiQL商事" in browser.find_element(By.CSS_SELECTOR, ".graphiql-response").text
    )
    assert_stayed_local(browser, page)
    stored = rows(stack.settings.effective_database_url,
                  "SELECT 企業名 FROM 企業 WHERE 企業ID = %s", company_id)  # fmt: skip
    assert stored == [("株式会社GraphiQL商事",)]


def test_query_graphiql_lists_the_read_models_warehouses_offline(
    browser: webdriver.Chrome, query_gateway: str, read_model: str, tmp_path: Path
) -> None:
    page = f"{query_gateway}/api/graphql"
    shown = run_in_graphiql(browser, page, WAREHOUSES)
    screenshot(browser, tmp_path / "query-graphiql.png")
    assert browser.title == "Zaiko Query API"
    in_sql = rows(read_model, "SELECT 倉庫コード, 倉庫名 FROM 倉庫 ORDER BY 1")
    assert len(in_sql) == 3
    assert shown == {"data": {"warehouses": [{"code": c, "name": n} for c, n in in_sql]}}
    assert "東京倉庫" in browser.find_element(By.CSS_SELECTOR, ".graphiql-response").text
    assert_stayed_local(browser, page)
