"""A run's DynamoDB requests: scraped from real endpoints before and after, split by process."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from prometheus_client import CollectorRegistry, Counter, start_http_server
from rich.console import Console

from connectors.dynamodb.metrics import observe
from connectors.metrics.requests import RequestMeter, Scrape, parse, usage
from connectors.metrics.requests_table import requests_table


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def endpoint() -> Iterator[tuple[str, Counter]]:
    """A real /metrics endpoint of its own registry holding the request counter."""
    registry = CollectorRegistry()
    requests = Counter("zaiko_dynamodb_requests", "calls", ["operation", "outcome"],
                       registry=registry)  # fmt: skip
    port = _free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    try:
        yield f"http://127.0.0.1:{port}/metrics", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_the_meter_counts_what_each_process_asked_for_between_start_and_stop(
    endpoint: tuple[str, Counter],
) -> None:
    url, requests = endpoint
    requests.labels("PutItem", "ok").inc(5)  # before the run: not counted
    meter = RequestMeter({"worker": url, "bridge": f"http://127.0.0.1:{_free_port()}/metrics"},
                         local="load")  # fmt: skip
    meter.start()
    requests.labels("PutItem", "ok").inc(40)
    requests.labels("PutItem", "conditional_failed").inc(2)
    requests.labels("GetItem", "ok").inc(8)
    observe("BatchWriteItem", 0.01, "ok", 1)  # this process's own registry
    used = meter.stop()
    assert used.counts == {
        ("worker", "PutItem", "ok"): 40,
        ("worker", "PutItem", "conditional_failed"): 2,
        ("worker", "GetItem", "ok"): 8,
        ("load", "BatchWriteItem", "ok"): 1,
    }
    assert used.silent == ("bridge",)
    assert used.per_command(20) == {"PutItem": 2.1, "GetItem": 0.4, "BatchWriteItem": 0.05}


def test_a_process_that_restarted_counts_from_zero_again() -> None:
    key = ("worker", "PutItem", "ok")
    used = usage(Scrape(10.0, {key: 500}), Scrape(12.5, {key: 30}))
    assert used.counts == {key: 30} and used.seconds == 2.5


def test_only_the_request_counter_is_read_from_an_exposition() -> None:
    text = (
        "# TYPE zaiko_dynamodb_requests_total counter\n"
        'zaiko_dynamodb_requests_total{operation="Query",outcome="ok"} 3.0\n'
        "# TYPE zaiko_dynamodb_retries_total counter\n"
        'zaiko_dynamodb_retries_total{operation="Query"} 7.0\n'
    )
    assert parse("projector", text) == {("projector", "Query", "ok"): 3.0}


def test_the_table_shows_each_operation_per_process_and_per_accepted_command() -> None:
    used = usage(Scrape(0.0, {}), Scrape(10.0, {
        ("worker", "PutItem", "ok"): 90, ("worker", "PutItem", "conditional_failed"): 10,
        ("bridge", "GetRecords", "ok"): 50, ("worker", "GetRecords", "ok"): 0,
    }))  # fmt: skip
    console = Console(width=200, record=True)
    console.print(requests_table(used, 100, "requests"))
    text = console.export_text()
    lines = text.splitlines()
    put = next(line for line in lines if "PutItem" in line)
    assert [cell for cell in put.replace("│", " ").split() if cell] == [
        "PutItem",
        "worker",
        "100",
        "10.0",
        "1.000",
        "10",
        "conditional_failed",
    ]
    total = next(line for line in lines if line.replace("│", " ").split()[:1] == ["all"])
    assert "150" in total and "1.500" in total
    assert "100 accepted commands in 10.0 s" in text
