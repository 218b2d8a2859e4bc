"""``zaiko bench query``: the nested product page through the Query API vs one SQL statement.

Measures, in one run: p50/p99 of a page of products with their inventories, zones and
warehouses (1) through the gateway with the master cache flushed before the request
(cold), (2) through the gateway with the cache warm, and (3) as one hand-written SQL
statement returning the same data (psycopg, one round trip); the three alternate request
by request. The gateway runs as its own process (``python -m compose query-gateway``)
and is called over keep-alive HTTP.

``--seed N`` measures on a private database (created, migrated, filled with N products by
projecting events, dropped afterwards) and a private Redis database; without it the
configured read model is used as it is.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psycopg
import redis

from connectors.postgres.conninfo import LONG, with_timeouts
from query_gateway.settings import QueryGatewaySettings

BENCH_REDIS_DB = 14
QUERY = """query Page($first: Int!) { products(first: $first) { totalCount edges { node {
  id name sku category storageCondition status
  inventories { id onHand reserved available
    zone { id name zoneType capacity warehouse { code name location } } } } } } }"""
SQL = """
SELECT p.商品ID, p.商品名, p.SKU, p.カテゴリ, p.保管条件, p.ステータス, count(*) OVER () AS total,
  coalesce((SELECT json_agg(json_build_object('id', i.在庫ID, 'onHand', i.現在庫数,
      'reserved', i.引当済数, 'available', i.有効在庫数, 'zone', json_build_object(
        'id', z.倉庫コード || '-' || z.区画番号, 'name', z.区画名, 'zoneType', z.区画タイプ,
        'capacity', z.区画容量, 'warehouse', json_build_object('code', w.倉庫コード,
        'name', w.倉庫名, 'location', w.所在地))) ORDER BY i.倉庫コード, i.区画番号)
    FROM 在庫 i JOIN 倉庫別区画 z USING (倉庫コード, 区画番号) JOIN 倉庫 w USING (倉庫コード)
    WHERE i.商品ID = p.商品ID), '[]') AS inventories
FROM 商品 p ORDER BY p.商品ID LIMIT %s"""


@dataclass(frozen=True)
class Figures:
    products: int
    rounds: int
    rows_returned: int
    cold: tuple[float, float]  # p50, p99 in ms
    cached: tuple[float, float]
    sql: tuple[float, float]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[98] * 1000


def _time(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


@contextlib.contextmanager
def _gateway(database_url: str, redis_url: str) -> Iterator[int]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ZAIKO_API_KEYS": "",
        "ZAIKO_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "compose", "query-gateway", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not _healthy(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the query gateway did not become healthy")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/api/health")
        return conn.getresponse().status == 200
    except OSError:
        return False


def measure(database_url: str, redis_url: str, products: int, rounds: int) -> Figures:
    """Run the three phases against a read model that already holds data."""
    cache = redis.Redis.from_url(redis_url)
    body = json.dumps({"query": QUERY, "variables": {"first": products}})

    def flush() -> None:
        for kind in ("product", "warehouse", "zone"):
            keys = list(cache.scan_iter(match=f"zaiko:{kind}:*"))
            if keys:
                cache.delete(*keys)

    with (
        _gateway(database_url, redis_url) as port,
        psycopg.connect(with_timeouts(database_url, LONG)) as conn,
    ):
        http_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        returned = 0

        def page() -> None:
            nonlocal returned
            http_conn.request("POST", "/api/graphql", body, {"Content-Type": "application/json"})
            answer = json.loads(http_conn.getresponse().read())
            if "errors" in answer:
                raise RuntimeError(f"the query failed: {answer['errors']}")
            returned = len(answer["data"]["products"]["edges"])

        def by_sql() -> None:
            conn.execute(SQL, (products,)).fetchall()

        for _ in range(max(10, rounds // 10)):  # warm up connections, plans, the parse memo
            page()
            by_sql()
        # Interleaved, so that the three phases share whatever else loads the machine.
        cold, cached, plain = [], [], []
        for _ in range(rounds):
            flush()
            cold.append(_time(page))  # fills the cache ...
            cached.append(_time(page))  # ... which this one reads
            plain.append(_time(by_sql))
        http_conn.close()
    return Figures(
        products, rounds, returned, _percentiles(cold), _percentiles(cached), _percentiles(plain)
    )


def run_query_bench(products: int, rounds: int, seed: int) -> Figures:
    """Measure on the configured read model, or on a private seeded one when ``seed``."""
    settings = QueryGatewaySettings()
    if not seed:
        return measure(
            settings.effective_database_url, settings.effective_redis_url, products, rounds
        )
    from bench.query_seed import private_database, seed_products

    redis_url = settings.effective_redis_url.rsplit("/", 1)[0] + f"/{BENCH_REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    with private_database(
        settings.effective_database_url, f"zaiko_bench_{uuid.uuid4().hex[:8]}"
    ) as url:
        seed_products(url, seed)
        return measure(url, redis_url, products, rounds)


def print_query_figures(f: Figures) -> None:
    """Print p50/p99 of each phase and the cached gateway p99 / SQL p99 ratio."""
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"zaiko bench query ({f.products} products/page, {f.rounds} rounds,"
        f" {f.rows_returned} returned)"
    )
    for column in ("phase", "p50 ms", "p99 ms"):
        table.add_column(column)
    for name, (p50, p99) in (
        ("gateway, cold cache", f.cold),
        ("gateway, cached", f.cached),
        ("one SQL statement", f.sql),
    ):
        table.add_row(name, f"{p50:.2f}", f"{p99:.2f}")
    ratio = f.cached[1] / f.sql[1] if f.sql[1] else float("inf")
    verdict = "[green]PASS[/]" if ratio <= 3 else "[red]MISS[/]"
    table.add_row(
        "ratio cached p99 / SQL p99",
        f"{f.cached[0] / f.sql[0]:.2f} (p50)",
        f"{ratio:.2f} (target ≤ 3) {verdict}",
    )
    Console().print(table)
