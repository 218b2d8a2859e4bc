"""The embedded DynamoDB's HTTP server: keep-alive, length-only bodies, other services."""

from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

import boto3
import pytest

from compose.stack import Stack

pytestmark = pytest.mark.integration

LIST_TABLES = {"X-Amz-Target": "DynamoDB_20120810.ListTables",
               "Content-Type": "application/x-amz-json-1.0"}  # fmt: skip


def _connection(stack: Stack) -> http.client.HTTPConnection:
    url = urlsplit(stack.settings.dynamodb_endpoint_url or "")
    return http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)


def test_one_connection_carries_many_requests(stack: Stack) -> None:
    connection = _connection(stack)
    try:
        sockets = []
        for _ in range(3):
            connection.request("POST", "/", body=b"{}", headers=LIST_TABLES)
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200, body
            assert "TableNames" in json.loads(body)
            assert response.getheader("Connection") != "close"
            sockets.append(connection.sock)
        assert sockets[0] is not None
        assert sockets.count(sockets[0]) == 3  # never reconnected
    finally:
        connection.close()


def test_a_chunked_request_is_refused_with_411(stack: Stack) -> None:
    connection = _connection(stack)
    try:
        connection.request("POST", "/", body=iter([b"{}"]), headers=LIST_TABLES,
                           encode_chunked=True)  # fmt: skip
        response = connection.getresponse()
        response.read()
        assert response.status == 411
    finally:
        connection.close()


def test_other_moto_services_still_answer(stack: Stack) -> None:
    sts = boto3.session.Session().client(
        "sts", endpoint_url=stack.settings.dynamodb_endpoint_url,
        region_name=stack.settings.aws_region,
        aws_access_key_id="zaiko-local", aws_secret_access_key="zaiko-local",
    )  # fmt: skip
    assert sts.get_caller_identity()["Account"].isdigit()


def _raw_exchange(stack: Stack, request: bytes) -> bytes:
    """Send raw bytes, return everything the server writes until it closes the connection."""
    url = urlsplit(stack.settings.dynamodb_endpoint_url or "")
    with socket.create_connection((url.hostname or "", url.port or 80), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def test_a_malformed_request_gets_400_and_the_connection_closes(stack: Stack) -> None:
    assert _raw_exchange(stack, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    bad_length = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n"
    assert _raw_exchange(stack, bad_length).startswith(b"HTTP/1.1 400 ")


def test_connection_close_and_http_1_0_end_the_connection_after_the_answer(stack: Stack) -> None:
    body = b"{}"
    for version, extra in (("HTTP/1.1", "Connection: close\r\n"), ("HTTP/1.0", "")):
        head = (f"POST / {version}\r\nHost: x\r\nContent-Length: {len(body)}\r\n{extra}"
                + "".join(f"{k}: {v}\r\n" for k, v in LIST_TABLES.items()) + "\r\n")  # fmt: skip
        answer = _raw_exchange(stack, head.encode() + body)  # returns only once closed
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
        assert b"TableNames" in answer and b"Connection: close" in answer


def test_requests_on_many_connections_are_all_answered(stack: Stack) -> None:
    connections = [_connection(stack) for _ in range(8)]
    try:
        for _ in range(3):
            for connection in connections:
                connection.request("POST", "/", body=b"{}", headers=LIST_TABLES)
            for connection in connections:
                response = connection.getresponse()
                assert response.status == 200 and "TableNames" in json.loads(response.read())
    finally:
        for connection in connections:
            connection.close()


def test_head_answers_carry_the_length_of_the_body_they_leave_out(stack: Stack) -> None:
    headers = "".join(f"{k}: {v}\r\n" for k, v in LIST_TABLES.items())
    request = ("{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n" + headers
               + "Connection: close\r\n\r\n{{}}")  # fmt: skip
    full = _raw_exchange(stack, request.format(method="POST").encode())
    head = _raw_exchange(stack, request.format(method="HEAD").encode())
    full_head, _, full_body = full.partition(b"\r\n\r\n")
    head_head, _, head_body = head.partition(b"\r\n\r\n")
    assert full_head.split(b"\r\n")[0] == head_head.split(b"\r\n")[0]
    assert f"Content-Length: {len(full_body)}".encode() in head_head.split(b"\r\n")
    assert head_body == b""


def test_empty_lines_before_a_request_are_ignored(stack: Stack) -> None:
    body = b"{}"
    headers = "".join(f"{k}: {v}\r\n" for k, v in LIST_TABLES.items())
    request = (
        f"\r\nPOST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n{headers}Connection: close\r\n\r\n"
    )
    answer = _raw_exchange(stack, request.encode() + body)
    assert answer.startswith(b"HTTP/1.1 200 ") and b"TableNames" in answer
