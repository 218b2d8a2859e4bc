"""The one home of Prometheus metrics: get-or-create helpers and each process's endpoint.

Every service defines its metrics with ``counter``/``gauge``/``histogram`` (idempotent,
so a test process that builds two apps does not register a family twice) in the
process-wide default registry, and calls ``serve`` once from its composition root.
Names follow Prometheus conventions: ``zaiko_…_total`` for counters, base units
(``_seconds``, ``_bytes``) everywhere.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any, TypeVar

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, start_http_server

log = logging.getLogger(__name__)

# from a fast conditional put (~1 ms) to a command that waited out a rebalance (a minute)
LATENCY_BUCKETS = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
)  # fmt: skip

_M = TypeVar("_M", Counter, Gauge, Histogram)
_made: dict[str, Any] = {}
_lock = threading.Lock()
_served: dict[int, int] = {}


def _get_or_create(kind: type[_M], name: str, documentation: str, labels: Sequence[str],
                   **extra: Any) -> _M:  # fmt: skip
    with _lock:
        found = _made.get(name)
        if found is None:
            found = kind(name, documentation, list(labels), registry=REGISTRY, **extra)
            _made[name] = found
        if not isinstance(found, kind):
            raise TypeError(f"metric {name} exists as {type(found).__name__}, not {kind.__name__}")
        return found


def counter(name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
    """Return the counter ``name`` (created on first use); name it ``zaiko_…_total``."""
    return _get_or_create(Counter, name.removesuffix("_total"), documentation, labels)


def gauge(name: str, documentation: str, labels: Sequence[str] = ()) -> Gauge:
    """Return the gauge ``name`` (created on first use)."""
    return _get_or_create(Gauge, name, documentation, labels)


def histogram(
    name: str,
    documentation: str,
    labels: Sequence[str] = (),
    buckets: Sequence[float] = LATENCY_BUCKETS,
) -> Histogram:
    """Return the histogram ``name`` (created on first use); latencies in seconds."""
    return _get_or_create(Histogram, name, documentation, labels, buckets=tuple(buckets))


def serve(port: int, host: str = "127.0.0.1", retry_s: float = 5.0) -> int | None:
    """Serve ``/metrics`` on ``host:port`` from a daemon thread; 0 means off.

    Returns the port (once per process: a second call for the same port is a no-op), or
    None when off. A port that is taken (the stack's ports lie in Linux's ephemeral range,
    where another process's outgoing connection can hold one for a while) never stops the
    service: it logs an error and a daemon thread keeps trying every ``retry_s``.
    """
    if port <= 0:
        return None
    with _lock:
        if port in _served:
            return _served[port]
        _served[port] = port
    if not _bind(port, host):
        threading.Thread(target=_keep_trying, args=(port, host, retry_s), daemon=True,
                         name=f"metrics-bind-{port}").start()  # fmt: skip
    return port


def _bind(port: int, host: str) -> bool:
    url = f"http://{host}:{port}/metrics"
    try:
        start_http_server(port, addr=host, registry=REGISTRY)
    except OSError as e:
        fields = {"event": "metrics_unavailable", "url": url, "error": str(e)}
        log.error("metrics port taken; retrying", extra={"fields": fields})
        return False
    log.info("metrics served", extra={"fields": {"event": "metrics_served", "url": url}})
    return True


def _keep_trying(port: int, host: str, retry_s: float) -> None:
    while not _bind(port, host):
        time.sleep(retry_s)
