"""Fuzz a GraphQL API with schemathesis: every root field, deterministic, bounded in time.

schemathesis reads the schema by introspection and hypothesis-graphql writes documents
for each root field with generated arguments and selections. A case fails when the
answer is an HTTP 5xx or holds an INTERNAL_ERROR: a client's input, however odd, must
get a typed answer. Derandomized (a fixed seed per test), so CI sees the same cases.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

INTERNAL = "INTERNAL_ERROR"


@dataclass
class Report:
    """What the fuzzing sent and got back."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f} s; HTTP {dict(self.statuses)};"
            f" error codes {dict(self.codes)}"
        )


def fuzz(url: str, examples: int, headers: dict[str, str] | None = None) -> Report:
    """Send ``examples`` generated documents per root field to ``url``; return the report."""
    schema = schemathesis.graphql.from_url(url, headers=headers or {})
    operations = [result.ok() for result in schema.get_all_operations()]
    report = Report()
    session = requests.Session()
    started = time.monotonic()
    for operation in operations:
        _fuzz_operation(operation, url, examples, headers or {}, session, report)
    report.seconds = time.monotonic() - started
    return report


def _fuzz_operation(
    operation: Any,
    url: str,
    examples: int,
    headers: dict[str, str],
    session: requests.Session,
    report: Report,
) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        response = case.call(base_url=url.rsplit("/api/graphql", 1)[0], session=session,
                             headers=headers, timeout=30)  # fmt: skip
        report.requests += 1
        report.statuses[response.status_code] += 1
        codes = _codes(response)
        report.codes.update(codes)
        if response.status_code >= 500 or INTERNAL in codes:
            report.failures.append(f"{response.status_code} {codes}: {case.body!r}"[:2000])

    run()


def _codes(response: Any) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        return ["<not JSON>"]
    errors = body.get("errors") if isinstance(body, dict) else None
    return [str((e.get("extensions") or {}).get("code")) for e in errors or []]
