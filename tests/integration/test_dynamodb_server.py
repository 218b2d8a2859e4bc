"""The embedded DynamoDB's HTTP server: keep-alive, length-only bodies, other services."""

from __future__ import annotations

import http.client
import json
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
