"""The embedded DynamoDB's server: which moto app answers, the GC freeze, deadlines, cap."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.credentials import Credentials

from compose.dynamodb_server import Dispatcher
from compose.processes import wait_until
from connectors.dynamodb.client import command_path_client, dynamodb_client
from connectors.dynamodb.putitem import throwaway_table
from connectors.dynamodb.wire import WireClient
from connectors.settings import ZaikoSettings


def test_dynamodb_and_streams_requests_go_straight_to_their_own_app() -> None:
    dispatcher = Dispatcher()
    put = dispatcher.app_for({"HTTP_X_AMZ_TARGET": "DynamoDB_20120810.PutItem"})
    get = dispatcher.app_for({"HTTP_X_AMZ_TARGET": "DynamoDB_20120810.GetItem"})
    records = dispatcher.app_for({"HTTP_X_AMZ_TARGET": "DynamoDBStreams_20120810.GetRecords"})
    assert put is get
    assert records is not put
    assert dispatcher.fallback not in (put, records)


def test_anything_else_goes_through_motos_own_dispatcher() -> None:
    dispatcher = Dispatcher()
    assert dispatcher.app_for({}) is dispatcher.fallback
    assert dispatcher.app_for({"HTTP_X_AMZ_TARGET": "AWSEvents.PutEvents"}) is dispatcher.fallback


def test_what_survives_a_full_collection_is_frozen() -> None:
    script = (
        "import gc\n"
        "from compose.dynamodb_server import freeze_after_full_collections\n"
        "gc.collect()\n"
        "assert gc.get_freeze_count() == 0\n"
        "freeze_after_full_collections()\n"
        "kept = [[i] for i in range(10_000)]\n"
        "gc.collect()\n"
        "print(gc.get_freeze_count())\n"
    )
    frozen = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, timeout=60)  # fmt: skip
    assert int(frozen.stdout) > 10_000


# -- the server itself, as the stack runs it, with short deadlines and a small cap ---------


@dataclass
class Server:
    """A ``python -m compose.dynamodb_server`` we started, and its log file."""

    port: int
    log: Path

    def lines(self, msg: str) -> list[dict[str, Any]]:
        """Return the server's JSON log lines whose message is ``msg``."""
        found = []
        for line in self.log.read_text().splitlines():
            with contextlib.suppress(ValueError):
                document = json.loads(line)
                if isinstance(document, dict) and document.get("msg") == msg:
                    found.append(document)
        return found

    def logged(self, msg: str) -> bool:
        return bool(self.lines(msg))

    def settings(self) -> ZaikoSettings:
        return ZaikoSettings(dynamodb_endpoint_url=f"http://127.0.0.1:{self.port}")


def start_server(log: Path, *flags: str) -> Iterator[Server]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "compose.dynamodb_server", "--port", str(port), *flags]
    with log.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "ZAIKO_LOG_FORMAT": "json"})  # fmt: skip
    try:
        assert wait_until(lambda: port_open(port) or process.poll() is not None, 60)
        assert process.poll() is None, log.read_text()
        yield Server(port, log)
    finally:
        process.terminate()
        process.wait(10)


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
        return True
    return False


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server closing idle connections after 0.3 s and cutting requests after 1 s."""
    log = tmp_path_factory.mktemp("quick") / "server.log"
    yield from start_server(log, "--idle-timeout", "0.3", "--read-timeout", "1")


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server taking two connections at once."""
    log = tmp_path_factory.mktemp("capped") / "server.log"
    yield from start_server(log, "--max-connections", "2")


def list_tables(conn: http.client.HTTPConnection) -> http.client.HTTPResponse:
    conn.request("POST", "/", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                      "Content-Type": "application/x-amz-json-1.0"})  # fmt: skip
    answer = conn.getresponse()
    answer.read()
    return answer


def held(server: Server) -> http.client.HTTPConnection:
    """Return a kept-alive connection the server has taken (retrying while it is full)."""
    deadline = time.monotonic() + 30
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        if list_tables(conn).status == 200:
            return conn
        conn.close()
        assert time.monotonic() < deadline, "the server took no connection"
        time.sleep(0.05)


def closed_by_server(sock: socket.socket, timeout_s: float = 10) -> bytes:
    """Return what the server still sends on ``sock`` until it closes it (fail on timeout)."""
    sock.settimeout(timeout_s)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def make_table(server: Server) -> str:
    admin = dynamodb_client(server.settings())
    try:
        return throwaway_table(admin, "deadline-")
    finally:
        admin.close()


def put(client: Any, table: str) -> Any:
    return client.put_item(TableName=table, Item={"aggregate_id": {"S": uuid.uuid4().hex},
                                                  "seq_nr": {"N": "1"}})  # fmt: skip


def test_a_kept_alive_connection_idle_past_its_deadline_is_closed(quick: Server) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", quick.port, timeout=10)
    assert list_tables(conn).status == 200
    assert conn.sock is not None
    assert closed_by_server(conn.sock) == b""  # no answer to anything: closed, gently
    assert wait_until(lambda: quick.logged("idle connection closed"), 5)
    conn.close()


class Loris(threading.Thread):
    """A client that starts a request and then trickles it, a byte every 50 ms."""

    def __init__(self, port: int, start: bytes) -> None:
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(start)
        self.answer = b""
        self.answered = threading.Event()

    def run(self) -> None:
        self.sock.setblocking(False)
        with contextlib.suppress(OSError):
            while not self.answered.wait(0.05):
                with contextlib.suppress(BlockingIOError):
                    chunk = self.sock.recv(65536)
                    self.answer += chunk
                    if not chunk or self.answer.startswith(b"HTTP/"):
                        self.answered.set()
                        break
                self.sock.send(b"a")
        self.answered.set()


@pytest.mark.parametrize("start", [
    b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nX-Pad: ",
    b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
    b"Content-Length: 1000\r\n\r\n{",
], ids=["head", "body"])  # fmt: skip
def test_a_slow_loris_is_cut_with_408_while_others_are_answered(
    quick: Server, start: bytes
) -> None:
    table = make_table(quick)
    client = command_path_client(quick.settings())
    loris = Loris(quick.port, start)
    loris.start()
    try:
        put(client, table)  # answered while the loris's request is still coming
        assert not loris.answered.is_set()
        assert loris.answered.wait(10), "the loris was never cut"
        loris.join(10)
        head = loris.answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        assert head[0] == b"HTTP/1.1 408 Request Timeout"
        assert b"Connection: close" in head
        closed_by_server(loris.sock)  # the rest of the answer, then the close
    finally:
        loris.sock.close()
        client.close()
    assert wait_until(lambda: quick.logged("connection cut: request not read in time"), 15)


def test_the_connection_beyond_the_cap_gets_503_until_one_closes(capped: Server) -> None:
    first, second = held(capped), held(capped)
    try:
        third = http.client.HTTPConnection("127.0.0.1", capped.port, timeout=10)
        refused = list_tables(third)
        assert refused.status == 503
        assert refused.getheader("Connection") == "close"
        assert refused.getheader("Retry-After") == "1"
        assert third.sock is None  # http.client closed it, as the answer said
        assert list_tables(second).status == 200  # the two taken still work
        first.close()
        held(capped).close()  # taken again once one closed
    finally:
        first.close()
        second.close()
    assert wait_until(lambda: capped.logged("connection refused: at the connection cap"), 15)


def test_in_a_flood_of_refusals_further_connections_are_dropped(capped: Server) -> None:
    slots = [held(capped), held(capped)]
    refused = [socket.create_connection(("127.0.0.1", capped.port)) for _ in range(2)]
    try:
        for sock in refused:  # answered, and closing: the server waits for our side
            sock.settimeout(10)
            assert sock.recv(65536).startswith(b"HTTP/1.1 503 ")
        with socket.create_connection(("127.0.0.1", capped.port)) as dropped:
            dropped.settimeout(10)
            with contextlib.suppress(ConnectionResetError):
                assert dropped.recv(65536) == b""  # no 503 for this one
    finally:
        for conn in slots:
            conn.close()
        for sock in refused:
            sock.close()


def test_the_command_path_and_boto3_retry_the_caps_503(capped: Server) -> None:
    table = make_table(capped)
    settings = capped.settings()
    retried: list[str] = []
    slots = [held(capped), held(capped)]

    def release_one(delay_s: float) -> None:  # a retry comes: let one connection go
        retried.append("wire")
        if slots:
            slots.pop().close()
        time.sleep(delay_s)

    # the command path's client (connectors/dynamodb/client.py), its pause observed
    wire = WireClient(dynamodb_client(settings), Credentials("zaiko-local", "zaiko-local"),
                      sleep=release_one)  # fmt: skip
    try:
        assert put(wire, table)["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert retried and set(retried) == {"wire"}
        wire.close()
        slots[:] = [held(capped) for _ in range(2 - len(slots))] + slots

        def on_retry(response: Any = None, **_: Any) -> None:
            if response is not None and response[0].status_code == 503:
                retried.append("boto3")
                if slots:
                    slots.pop().close()

        client = dynamodb_client(settings)  # boto3, standard retry mode
        client.meta.events.register("needs-retry.dynamodb.PutItem", on_retry)
        assert put(client, table)["ResponseMetadata"]["HTTPStatusCode"] == 200
        client.close()
    finally:
        wire.close()
        for conn in slots:
            conn.close()
    assert "boto3" in retried
