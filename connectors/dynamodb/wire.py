"""A lean DynamoDB client for the command path: the JSON protocol on kept-alive HTTP.

boto3 spends about 0.6 ms of CPU per call on parameter validation, serialisation,
event hooks and response parsing, and the command worker makes at least one call per
command; with validation off it still takes 2.2-2.6x this client's CPU per call
(``bench/client_costs.py``, docs/decisions.md). The low-level client's parameters
already are DynamoDB's JSON protocol, so ``WireClient`` sends them as they are:

- signed by botocore's own SigV4 signer, with the boto3 session's credentials (so
  rotating and refreshable credentials work as they do for boto3);
- HTTP/1.1 connections kept alive, to the endpoint boto3 resolved, at most
  ``max_connections`` at once (a call waits for a free one);
- retried by botocore's own standard-mode policy (``StandardRetryConditions`` and
  ``ExponentialBackoff`` for DynamoDB): up to ``max_attempts`` in all, for
  throttling, 5xx, transient and modeled-retryable errors, a damaged answer (CRC32,
  or a body that is not JSON) and connection errors. An idle connection the server
  has closed is dropped before use; a failure on a reused one before any answer is
  resent at once on a new one;
- errors raised as the boto3 client's modeled exception (a ``ClientError``) with the
  same ``response`` (error code and message, plus what the error body carries, such
  as the ``Item`` of ``ReturnValuesOnConditionCheckFailure``), connection failures as
  ``EndpointConnectionError``.
- each call counted once, retries included, in ``connectors.dynamodb.metrics``
  (the families boto3's clients are counted in too).

Only ``put_item``, ``get_item``, ``query``, ``batch_get_item`` and
``batch_write_item`` go on the wire; every other attribute is the boto3 client's.
One difference: binary attributes come back as base64 text, the form DynamoDB
Streams JSON uses too (``connectors.eventstore.items`` reads both); bytes sent are
encoded as boto3 would.
"""

from __future__ import annotations

import base64
import http.client
import json
import select
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.exceptions import ClientError, EndpointConnectionError, ResponseStreamingError
from botocore.httpsession import get_cert_path
from botocore.retries.standard import (
    ExponentialBackoff,
    RetryContext,
    RetryEventAdapter,
    RetryPolicy,
    StandardRetryConditions,
    ThrottlingErrorDetector,
)

from connectors.dynamodb.metrics import error_code_of, observe, outcome_of

TARGET = "DynamoDB_20120810"
CONTENT_TYPE = "application/x-amz-json-1.0"
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, ssl.SSLEOFError)


def _encode_bytes(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot send {type(value).__name__} to DynamoDB")


class WireClient:
    """The hot-path subset of a low-level DynamoDB client, without boto3's per-call cost."""

    def __init__(
        self,
        boto_client: Any,
        credentials: Any,
        max_attempts: int = 4,
        timeout_s: float = 60.0,
        max_connections: int = 10,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._boto = boto_client
        self._credentials = credentials
        self._region = boto_client.meta.region_name
        self._url = boto_client.meta.endpoint_url
        parts = urlsplit(self._url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if self._https else 80)
        default_port = f":{443 if self._https else 80}"
        self._host_header = parts.netloc.removesuffix(default_port)
        self._path = parts.path or "/"
        self._timeout_s = timeout_s
        self._sleep = sleep
        self._policy = RetryPolicy(
            StandardRetryConditions(max_attempts=max_attempts),
            ExponentialBackoff(service_name="dynamodb",
                               throttling_detector=ThrottlingErrorDetector(RetryEventAdapter())),
        )  # fmt: skip
        self._slots = threading.BoundedSemaphore(max_connections)
        self._idle: list[http.client.HTTPConnection] = []
        self._idle_lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._boto, name)

    def put_item(self, **params: Any) -> dict[str, Any]:
        return self._call("PutItem", params)

    def get_item(self, **params: Any) -> dict[str, Any]:
        return self._call("GetItem", params)

    def query(self, **params: Any) -> dict[str, Any]:
        return self._call("Query", params)

    def batch_get_item(self, **params: Any) -> dict[str, Any]:
        return self._call("BatchGetItem", params)

    def batch_write_item(self, **params: Any) -> dict[str, Any]:
        return self._call("BatchWriteItem", params)

    def close(self) -> None:
        """Close the idle connections (a call still under way puts its own back)."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        body = json.dumps(params, default=_encode_bytes, separators=(",", ":")).encode()
        attempt = 1
        while True:
            try:
                status, headers, data = self._exchange(operation, body)
            except (OSError, http.client.HTTPException) as e:
                failure: Exception = EndpointConnectionError(endpoint_url=self._url, error=e)
                failure.__cause__ = e
                context = self._context(operation, attempt, caught_exception=failure)
            else:
                answer = _document(headers, data) if status == 200 else None
                if answer is not None and _intact(headers, data):
                    observe(operation, time.perf_counter() - started, "ok", attempt)
                    return answer
                failure, context = self._failure(operation, attempt, status, headers, data, answer)
            if not self._policy.should_retry(context):
                outcome = outcome_of(error_code_of(failure))
                observe(operation, time.perf_counter() - started, outcome, attempt)
                raise failure
            self._sleep(self._policy.compute_retry_delay(context))
            attempt += 1

    def _failure(
        self,
        operation: str,
        attempt: int,
        status: int,
        headers: Any,
        data: bytes,
        answer: dict[str, Any] | None,
    ) -> tuple[Exception, RetryContext]:
        """Return what to raise for an answer that is not a success, and its retry context."""
        response = AWSResponse(self._url, status, headers, raw=None)
        response._content = data  # read already; botocore's checks read .content
        if status != 200:
            error = _error_response(status, headers, data)
            failure = self._boto.exceptions.from_code(error["Error"]["Code"])(error, operation)
            return failure, self._context(operation, attempt, parsed_response=error,
                                          http_response=response)  # fmt: skip
        if answer is None:  # garbled: transient, as a broken response stream is to botocore
            damage = f"not a JSON object: {data[:80]!r}"
            garbled: Exception | None = ResponseStreamingError(error=damage)
        else:  # botocore's DynamoDB checksum check sees the mismatch by itself
            damage = f"x-amz-crc32 {headers.get('x-amz-crc32')} != {zlib.crc32(data)}"
            garbled = None
        failure = ClientError(_error("DamagedResponse", damage, 200), operation)
        return failure, self._context(operation, attempt, http_response=response,
                                      caught_exception=garbled)  # fmt: skip

    def _context(self, operation: str, attempt: int, **kwargs: Any) -> RetryContext:
        model = self._boto.meta.service_model.operation_model(operation)
        return RetryContext(attempt, model, **kwargs)

    def _exchange(self, operation: str, body: bytes) -> tuple[int, Any, bytes]:
        """Send one signed request on a pooled connection, waiting for one if all are busy.

        A reused connection the server had closed is replaced and the request resent at once.
        """
        with self._slots:
            headers = self._signed(operation, body)  # signed once a slot is ours: fresh
            conn = self._idle_connection()
            if conn is not None:
                try:
                    answer = _round_trip(conn, self._path, body, headers)
                except _STALE:
                    conn.close()
                    conn = None
                except BaseException:
                    conn.close()
                    raise
            if conn is None:
                conn = self._connect()
                try:
                    answer = _round_trip(conn, self._path, body, headers)
                except BaseException:
                    conn.close()
                    raise
            with self._idle_lock:
                self._idle.append(conn)
            return answer

    def _idle_connection(self) -> http.client.HTTPConnection | None:
        """Return an idle connection still open (readable while idle means closed)."""
        while True:
            with self._idle_lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None or conn.sock is None:
                return conn
            if not select.select([conn.sock], [], [], 0)[0]:
                return conn
            conn.close()

    def _signed(self, operation: str, body: bytes) -> dict[str, str]:
        request = AWSRequest(
            method="POST",
            url=self._url,
            data=body,
            headers={
                "Host": self._host_header,
                "Content-Type": CONTENT_TYPE,
                "X-Amz-Target": f"{TARGET}.{operation}",
            },
        )
        frozen = self._credentials.get_frozen_credentials()
        SigV4Auth(frozen, "dynamodb", self._region).add_auth(request)
        return dict(request.headers.items())

    def _connect(self) -> http.client.HTTPConnection:
        if self._https:
            context = ssl.create_default_context(cafile=get_cert_path(True))
            return http.client.HTTPSConnection(self._host, self._port, timeout=self._timeout_s,
                                               context=context)  # fmt: skip
        return http.client.HTTPConnection(self._host, self._port, timeout=self._timeout_s)


def _intact(headers: Any, data: bytes) -> bool:
    """Whether the body matches its x-amz-crc32 header, when it has one."""
    expected = headers.get("x-amz-crc32")
    return expected is None or str(zlib.crc32(data)) == expected.strip()


def _document(headers: Any, data: bytes) -> dict[str, Any] | None:
    """Return a 200 answer's JSON object with boto3's ResponseMetadata, or None."""
    try:
        answer = json.loads(data) if data else {}
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    answer["ResponseMetadata"] = {
        "HTTPStatusCode": 200,
        "RequestId": headers.get("x-amzn-requestid", ""),
    }
    return answer


def _round_trip(
    conn: http.client.HTTPConnection, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, Any, bytes]:
    conn.request("POST", path, body, headers)
    response = conn.getresponse()
    data = response.read()
    if response.will_close:
        conn.close()
    return response.status, response.headers, data


def _error(code: str, message: str, status: int) -> dict[str, Any]:
    return {"Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status}}  # fmt: skip


def _error_response(status: int, headers: Any, data: bytes) -> dict[str, Any]:
    """Return the ``ClientError`` response boto3 would build from an error answer."""
    try:
        body = json.loads(data) if data else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = str(body.pop("__type", "")).rsplit("#", 1)[-1] or str(status)
    message = str(body.get("message", body.get("Message", "")))
    answer = _error(code, message, status)
    answer["ResponseMetadata"]["RequestId"] = headers.get("x-amzn-requestid", "")
    return {**body, **answer}
