"""schemathesis fuzzes every root field of the Query API: no 5xx, no INTERNAL_ERROR."""

from __future__ import annotations

from tests.e2e.fuzzing import fuzz
from tests.e2e.query_gateway.server import GatewayServer

EXAMPLES = 15  # per root field: about 15 s on a loaded 2-core machine


def test_generated_queries_get_typed_answers_only(gateway: GatewayServer) -> None:
    report = fuzz(f"{gateway.url}/api/graphql", EXAMPLES)
    print(report.line())
    assert report.requests >= 50
    assert report.failures == []
