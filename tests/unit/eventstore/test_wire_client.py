"""The lean DynamoDB client against a scripted HTTP endpoint: signing, errors, retries."""

from __future__ import annotations

import http.server
import json
import select
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.parsers import create_parser

from connectors.dynamodb import wire as wire_module
from connectors.dynamodb.client import command_path_client
from connectors.dynamodb.wire import WireClient
from connectors.settings import ZaikoSettings

KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Endpoint:
    """An HTTP server answering each request with the next scripted reply."""

    replies: list[Reply | None] = field(default_factory=list)  # None: drop the connection
    seen: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    connections: set[int] = field(default_factory=set)  # client ports
    port: int = 0


def ok(body: dict[str, Any]) -> Reply:
    data = json.dumps(body).encode()
    return 200, {"x-amz-crc32": str(zlib.crc32(data))}, data


def failed(status: int, code: str, message: str = "no", **extra: Any) -> Reply:
    body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message, **extra}
    return status, {}, json.dumps(body).encode()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    script = Endpoint()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            script.seen.append(({k.lower(): v for k, v in self.headers.items()}, body))
            script.connections.add(self.client_address[1])
            reply = script.replies.pop(0)
            if reply is None:
                self.close_connection = True
                return
            status, headers, data = reply
            self.send_response(status)
            for name, value in headers.items():
                if name == "x-test-close":  # answer, then close as an idle server would
                    self.close_connection = True
                    continue
                self.send_header(name, value)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    script.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield script
    finally:
        server.shutdown()
        server.server_close()


def client_for(endpoint: Endpoint, **kwargs: Any) -> tuple[WireClient, list[float]]:
    boto = boto3.session.Session().client(
        "dynamodb", region_name="ap-northeast-1", endpoint_url=f"http://127.0.0.1:{endpoint.port}",
        aws_access_key_id=KEY, aws_secret_access_key=SECRET,
    )  # fmt: skip
    slept: list[float] = []
    wire = WireClient(boto, Credentials(KEY, SECRET), sleep=slept.append, **kwargs)
    return wire, slept


def test_a_put_sends_the_parameters_as_signed_dynamodb_json(endpoint: Endpoint) -> None:
    endpoint.replies = [ok({})]
    wire, _ = client_for(endpoint)
    wire.put_item(TableName="t", Item={"k": {"S": "a"}, "p": {"B": b"\x00\xff"}},
                  ConditionExpression="attribute_not_exists(k)")  # fmt: skip
    headers, body = endpoint.seen[0]
    assert headers["x-amz-target"] == "DynamoDB_20120810.PutItem"
    assert headers["content-type"] == "application/x-amz-json-1.0"
    assert json.loads(body) == {"TableName": "t", "Item": {"k": {"S": "a"}, "p": {"B": "AP8="}},
                                "ConditionExpression": "attribute_not_exists(k)"}  # fmt: skip
    # the endpoint re-signs what it received with the secret: the signatures agree
    request = AWSRequest(method="POST", url=f"http://127.0.0.1:{endpoint.port}/", data=body,
                         headers={"Host": headers["host"], "Content-Type": headers["content-type"],
                                  "X-Amz-Target": headers["x-amz-target"],
                                  "X-Amz-Date": headers["x-amz-date"]})  # fmt: skip
    signer = SigV4Auth(Credentials(KEY, SECRET), "dynamodb", "ap-northeast-1")
    request.context["timestamp"] = headers["x-amz-date"]
    canonical = signer.canonical_request(request)
    assert headers["authorization"].endswith(
        "Signature=" + signer.signature(signer.string_to_sign(request, canonical), request)
    )
    assert "/ap-northeast-1/dynamodb/aws4_request" in headers["authorization"]


def test_answers_come_back_as_boto3_gives_them(endpoint: Endpoint) -> None:
    endpoint.replies = [ok({"Item": {"k": {"S": "a"}, "n": {"N": "3"}}})]
    wire, _ = client_for(endpoint)
    answer = wire.get_item(TableName="t", Key={"k": {"S": "a"}}, ConsistentRead=True)
    assert answer["Item"] == {"k": {"S": "a"}, "n": {"N": "3"}}
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_one_connection_serves_a_thread_many_calls(endpoint: Endpoint) -> None:
    endpoint.replies = [ok({"Items": []}) for _ in range(4)]
    wire, _ = client_for(endpoint)
    for _ in range(4):
        wire.query(TableName="t", KeyConditionExpression="k = :k",
                   ExpressionAttributeValues={":k": {"S": "a"}})  # fmt: skip
    assert len(endpoint.connections) == 1


def test_a_failed_condition_is_the_error_boto3_raises(endpoint: Endpoint) -> None:
    old = {"k": {"S": "a"}, "command_id": {"S": "c-1"}}
    reply = failed(400, "ConditionalCheckFailedException", "The conditional request failed",
                   Item=old)  # fmt: skip
    endpoint.replies = [reply]
    wire, slept = client_for(endpoint)
    with pytest.raises(ClientError) as raised:
        wire.put_item(TableName="t", Item=old, ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert isinstance(raised.value, wire.exceptions.ConditionalCheckFailedException)
    assert raised.value.operation_name == "PutItem"
    assert slept == [] and len(endpoint.seen) == 1  # not retried
    # what botocore's own parser makes of the same answer
    model = wire.meta.service_model.operation_model("PutItem")
    answer, parser = {"status_code": 400, "headers": {}, "body": reply[2]}, create_parser("json")
    parsed = parser.parse(answer, model.output_shape)  # as botocore's endpoint, then its
    error_shape = model.service_model.shape_for_error_code("ConditionalCheckFailedException")
    parsed.update(parser.parse(answer, error_shape))  # _add_modeled_error_fields
    for key in ("Error", "Item", "message"):
        assert raised.value.response[key] == parsed[key], key


@pytest.mark.parametrize("first", [
    failed(400, "ProvisionedThroughputExceededException"),
    failed(400, "ThrottlingException"),
    failed(500, "InternalServerError"),
    (503, {}, b"<html>unavailable</html>"),
    (200, {"x-amz-crc32": "1"}, b'{"Responses": {"t": []}}'),  # damaged: checksum differs
    (200, {}, b"<html>a proxy page</html>"),  # damaged: not JSON
])  # fmt: skip
def test_throttling_server_errors_and_damaged_answers_are_retried(
    endpoint: Endpoint, first: Reply
) -> None:
    endpoint.replies = [first, ok({"Responses": {"t": [{"k": {"S": "a"}}]}})]
    wire, slept = client_for(endpoint)
    answer = wire.batch_get_item(RequestItems={"t": {"Keys": [{"k": {"S": "a"}}]}})
    assert answer["Responses"] == {"t": [{"k": {"S": "a"}}]}
    assert len(slept) == 1
    throttled = first[0] == 400
    assert 0 <= slept[0] <= (1.0 if throttled else 0.025)  # botocore's scales for DynamoDB


def test_the_command_path_client_makes_as_many_attempts_as_boto3(
    endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    settings = ZaikoSettings(dynamodb_endpoint_url=f"http://127.0.0.1:{endpoint.port}")
    wire = command_path_client(settings)
    assert isinstance(wire, WireClient)
    endpoint.replies = [failed(500, "InternalServerError") for _ in range(4)]
    with pytest.raises(ClientError):
        wire.get_item(TableName="t", Key={"k": {"S": "a"}})
    assert len(endpoint.seen) == 4  # botocore's standard mode: total_max_attempts 4


@pytest.mark.parametrize(("variables", "wire_expected"), [
    ({"NO_PROXY": "example.com"}, True),
    ({"HTTPS_PROXY": "http://proxy.invalid:3128"}, True),  # the endpoint is http://
    ({"HTTP_PROXY": "http://proxy.invalid:3128", "NO_PROXY": "127.0.0.1"}, True),
    ({"HTTP_PROXY": "http://proxy.invalid:3128"}, False),
])  # fmt: skip
def test_boto3_answers_only_where_a_proxy_applies(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], wire_expected: bool
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
                 "no_proxy"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    client = command_path_client(ZaikoSettings(dynamodb_endpoint_url="http://127.0.0.1:9"))
    assert isinstance(client, WireClient) is wire_expected


def test_retries_end_after_max_attempts_with_the_last_error(endpoint: Endpoint) -> None:
    endpoint.replies = [failed(400, "ThrottlingException", "slow down") for _ in range(3)]
    wire, slept = client_for(endpoint, max_attempts=3)
    with pytest.raises(ClientError) as raised:
        wire.batch_write_item(RequestItems={"t": [{"PutRequest": {"Item": {"k": {"S": "a"}}}}]})
    assert raised.value.response["Error"]["Code"] == "ThrottlingException"
    assert len(endpoint.seen) == 3 and len(slept) == 2
    assert slept[1] <= 2  # 2 ** (attempt - 1) with jitter


def test_an_idle_connection_the_server_closed_is_not_used(
    endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ok({})
    endpoint.replies = [(first[0], {**first[1], "x-test-close": "1"}, first[2]), ok({})]
    wire, slept = client_for(endpoint, max_attempts=1)
    sent: list[bytes] = []

    def counted(conn: Any, path: str, body: bytes, headers: dict[str, str]) -> Any:
        sent.append(body)
        return round_trip(conn, path, body, headers)

    round_trip = wire_module._round_trip
    monkeypatch.setattr(wire_module, "_round_trip", counted)
    wire.put_item(TableName="t", Item={"k": {"S": "a"}})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not _closed_by_peer(wire):
        time.sleep(0.01)
    wire.put_item(TableName="t", Item={"k": {"S": "b"}})
    assert len(sent) == 2 and slept == []  # not sent on the closed socket first
    assert len(endpoint.seen) == 2 and len(endpoint.connections) == 2


def _closed_by_peer(wire: WireClient) -> bool:
    idle = wire._idle  # the one pooled connection
    return (
        bool(idle)
        and idle[0].sock is not None
        and bool(select.select([idle[0].sock], [], [], 0)[0])
    )


def test_a_connection_the_server_closed_is_replaced_without_counting(endpoint: Endpoint) -> None:
    endpoint.replies = [ok({}), None, ok({})]
    wire, slept = client_for(endpoint, max_attempts=1)
    wire.put_item(TableName="t", Item={"k": {"S": "a"}})
    wire.put_item(TableName="t", Item={"k": {"S": "b"}})  # first try hits the closed socket
    assert len(endpoint.seen) == 3 and slept == []
    assert len(endpoint.connections) == 2


def test_an_unreachable_endpoint_is_an_endpoint_connection_error() -> None:
    boto = boto3.session.Session().client(
        "dynamodb", region_name="ap-northeast-1", endpoint_url="http://127.0.0.1:9",
        aws_access_key_id=KEY, aws_secret_access_key=SECRET,
    )  # fmt: skip
    slept: list[float] = []
    wire = WireClient(boto, Credentials(KEY, SECRET), max_attempts=2, sleep=slept.append)
    with pytest.raises(EndpointConnectionError):
        wire.get_item(TableName="t", Key={"k": {"S": "a"}})
    assert len(slept) == 1


def test_other_operations_are_the_boto3_clients() -> None:
    boto = boto3.session.Session().client(
        "dynamodb", region_name="ap-northeast-1", endpoint_url="http://127.0.0.1:9",
        aws_access_key_id=KEY, aws_secret_access_key=SECRET,
    )  # fmt: skip
    wire = WireClient(boto, Credentials(KEY, SECRET))
    scan: Callable[..., Any] = wire.scan
    assert scan == boto.scan
    assert wire.exceptions is boto.exceptions


def test_calls_beyond_max_connections_wait_for_a_free_one(endpoint: Endpoint) -> None:
    endpoint.replies = [ok({}) for _ in range(8)]
    wire, _ = client_for(endpoint, max_connections=1)
    threads = [threading.Thread(target=lambda: [wire.get_item(TableName="t", Key={})
                                               for _ in range(2)]) for _ in range(4)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(endpoint.seen) == 8 and endpoint.replies == []
    assert len(endpoint.connections) == 1
