"""Wait until the stack has carried a prefill through: bridged to Kafka, projected.

A prefill writes its journal entries straight into the journal table, so its stream
records reach the bridge (GetRecords, one Kafka message each) and then the projector,
like any others. Measured while that runs, the at-size round would count the
bridge's and projector's work on the prefill as the commands' (it did: the embedded
DynamoDB's CPU per command rose at size). ``settle`` waits for both to catch up first.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable, Mapping

from prometheus_client.parser import text_string_to_metric_families

BRIDGED = "zaiko_bridge_records_total"
PROJECTION_LAG = "zaiko_projection_lag_events"


def metric_sum(url: str, name: str, timeout_s: float = 3.0) -> float | None:
    """Return the sum of every sample of ``name`` at ``url`` (None: unreachable or absent)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            text = response.read().decode()
    except OSError:
        return None
    values = [s.value for family in text_string_to_metric_families(text)
              for s in family.samples if s.name == name]  # fmt: skip
    return sum(values) if values else None


def bridged(endpoints: Mapping[str, str]) -> float:
    """Return the records the stack's bridge published so far (0 when it says nothing)."""
    url = endpoints.get("bridge")
    return (metric_sum(url, BRIDGED) or 0.0) if url else 0.0


def settle(
    endpoints: Mapping[str, str],
    bridged_before: float,
    records: int,
    timeout_s: float = 1800.0,
    say: Callable[[str], None] = print,
) -> float:
    """Wait until the bridge published ``records`` more and the projector's lag is 0.

    Returns the seconds waited; raises TimeoutError past ``timeout_s``. A stack without
    a bridge or projector endpoint (``--no-own-worker`` against another deployment) is
    not waited for.
    """
    started = last_said = time.monotonic()
    bridge, projector = endpoints.get("bridge"), endpoints.get("projector")
    while True:
        done = bridged(endpoints) - bridged_before if bridge else float(records)
        lag = (metric_sum(projector, PROJECTION_LAG) if projector else 0.0) or 0.0
        if done >= records and lag == 0:
            return time.monotonic() - started
        now = time.monotonic()
        if now - started > timeout_s:
            raise TimeoutError(f"prefill not carried through in {timeout_s:.0f} s: {done:,.0f}/"
                               f"{records:,} bridged, projection lag {lag:,.0f}")  # fmt: skip
        if now - last_said >= 10:
            say(f"settling: {done:,.0f}/{records:,} bridged, projection lag {lag:,.0f} events")
            last_said = now
        time.sleep(1.0)
