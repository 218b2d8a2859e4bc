"""DynamoDB calls, latency and retries of every process: boto3's clients and the wire client.

One observation per call (all attempts together): ``zaiko_dynamodb_requests_total``
by operation and outcome (``ok``, ``conditional_failed``: a condition that refused the
write, which is the event store working as designed; ``throttled``; ``error``),
``zaiko_dynamodb_request_seconds`` by operation and ``zaiko_dynamodb_retries_total``
(attempts beyond the first). Operations are the API's names (``PutItem``): bounded.
"""

from __future__ import annotations

import time
from typing import Any

from connectors.metrics import counter, histogram

REQUESTS = counter(
    "zaiko_dynamodb_requests_total",
    "DynamoDB (and DynamoDB Streams) calls by operation and outcome.",
    ("operation", "outcome"),
)
REQUEST_SECONDS = histogram(
    "zaiko_dynamodb_request_seconds",
    "Time of one DynamoDB call, every attempt and backoff included.",
    ("operation",),
)
RETRIES = counter(
    "zaiko_dynamodb_retries_total",
    "DynamoDB attempts beyond the first of each call.",
    ("operation",),
)

CONDITIONAL_FAILED = frozenset({"ConditionalCheckFailedException"})
THROTTLED = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "Throttling", "LimitExceededException",
})  # fmt: skip
_STARTED = "zaiko_metrics_started"


def outcome_of(error_code: str | None) -> str:
    """Return the outcome label of a call that ended with ``error_code`` (None: success)."""
    if not error_code:
        return "ok"
    if error_code in CONDITIONAL_FAILED:
        return "conditional_failed"
    if error_code in THROTTLED:
        return "throttled"
    return "error"


def error_code_of(failure: BaseException) -> str:
    """Return the DynamoDB error code a raised ``ClientError`` carries ("" for others)."""
    response = getattr(failure, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", "")) or type(failure).__name__
    return type(failure).__name__


def observe(operation: str, seconds: float, outcome: str, attempts: int) -> None:
    """Count one finished call of ``operation``."""
    REQUESTS.labels(operation, outcome).inc()
    REQUEST_SECONDS.labels(operation).observe(seconds)
    if attempts > 1:
        RETRIES.labels(operation).inc(attempts - 1)


def instrument(client: Any) -> Any:
    """Count every call ``client`` (a boto3 low-level client) makes; return it.

    Hooks botocore's own events: ``before-call`` notes the start in the call's
    context, ``after-call`` (an answer, error codes included) and ``after-call-error``
    (no answer: connection failures) count it. Idempotent per client.
    """
    events = client.meta.events
    if getattr(client.meta, "_zaiko_metrics", False):
        return client
    client.meta._zaiko_metrics = True
    service = client.meta.service_model.service_id.hyphenize()
    events.register(f"before-call.{service}", _started, unique_id="zaiko-metrics-start")
    events.register(f"after-call.{service}", _answered, unique_id="zaiko-metrics-answer")
    events.register(f"after-call-error.{service}", _failed, unique_id="zaiko-metrics-fail")
    return client


def _started(context: dict[str, Any], **_: Any) -> None:
    context[_STARTED] = time.perf_counter()


def _answered(
    context: dict[str, Any], model: Any, http_response: Any, parsed: dict[str, Any], **_: Any
) -> None:
    code = None
    if http_response is not None and http_response.status_code >= 300:
        code = str(parsed.get("Error", {}).get("Code", "")) or str(http_response.status_code)
    _finish(context, model.name, outcome_of(code))


def _failed(context: dict[str, Any], exception: BaseException, event_name: str, **_: Any) -> None:
    # no model here: the event's name ends with the operation's
    _finish(context, event_name.rsplit(".", 1)[-1], outcome_of(error_code_of(exception)))


def _finish(context: dict[str, Any], operation: str, outcome: str) -> None:
    started = context.pop(_STARTED, None)
    seconds = time.perf_counter() - started if started is not None else 0.0
    attempts = int(context.get("retries", {}).get("attempt", 1))
    observe(operation, seconds, outcome, attempts)
