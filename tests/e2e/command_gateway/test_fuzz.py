"""schemathesis fuzzes every mutation of the Command API: no 5xx, no INTERNAL_ERROR.

The gateway runs in this process over an in-memory command bus that accepts every
command (the worker is not what is fuzzed here) and the real company store on the
test stack's PostgreSQL, where odd strings would reach the driver.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from command_gateway.settings import CommandGatewaySettings
from compose.stack import Stack
from tests.e2e.command_gateway.in_process import serve
from tests.e2e.fuzzing import fuzz

pytestmark = pytest.mark.integration
EXAMPLES = 6  # per root field: 10-25 s on a loaded 2-core machine


@pytest.fixture(scope="module")
def in_process_gateway(stack: Stack) -> Iterator[str]:
    database = stack.settings.effective_database_url
    with serve(CommandGatewaySettings(database_url=database, api_keys=None)) as url:
        yield url


def test_generated_mutations_get_typed_answers_only(in_process_gateway: str) -> None:
    report = fuzz(in_process_gateway, EXAMPLES)
    print(report.line())
    assert report.requests >= 100
    assert report.failures == []
