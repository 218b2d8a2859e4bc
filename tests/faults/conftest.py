"""The fault suite: one embedded stack shared by every scenario, in the order of the files.

Why shared: a stack with its five services takes ~40 s to start here and D商事's load
~80 s; a stack per scenario would spend most of the suite's 12-minute budget starting
stacks. Scenarios therefore run in file order (test_NN_...), each on aggregates of its
own (its audit and read-model checks see only those), the ones that may leave the
pipeline stuck late, and the one that wipes the journal last. Before each scenario the
stack must carry a canary command end to end; if it cannot, the services are restarted,
then the stack rebuilt, and the repair is reported so no scenario fails for another's.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.faults.harness.canary import Canary, ensure_healthy
from tests.faults.harness.counts import COUNTS_PROPERTY, ELAPSED_PROPERTY, REPORTS
from tests.faults.harness.faultstack import FaultStack
from tests.faults.harness.scenario import Scenario

_SUITE: dict[str, float] = {}


@pytest.fixture(scope="package")
def fault_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultStack]:
    """The fault suite's own stack and services, on a port block of its own."""
    _SUITE["started"] = time.monotonic()
    stack = FaultStack(tmp_path_factory.mktemp("faults"))
    try:
        stack.up()
        yield stack
    finally:
        stack.down()


@pytest.fixture(scope="package")
def canary(fault_stack: FaultStack) -> Canary:
    return Canary(fault_stack)


@pytest.fixture
def scenario(
    fault_stack: FaultStack, canary: Canary, request: pytest.FixtureRequest
) -> Iterator[Scenario]:
    """A scenario on a stack that has just carried a canary command end to end."""
    print(f"before {request.node.name}: {ensure_healthy(fault_stack, canary)}")
    run = Scenario(fault_stack, request.node.name)
    try:
        yield run
    finally:
        if not any(c is run.counts for c in REPORTS):  # it failed before counting
            run.counts.notes.append("aborted before its counts: see its failure")
            REPORTS.append(run.counts)
        run.close()
        fault_stack.tidy()  # a scenario that failed half-way leaves no extra instance behind
        # through the test report, so the summary has it when xdist ran the suite elsewhere
        request.node.user_properties.append((COUNTS_PROPERTY, run.counts.line()))
        elapsed = time.monotonic() - _SUITE["started"]
        request.node.user_properties.append((ELAPSED_PROPERTY, elapsed))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the scenarios together and in file order on one xdist worker (they share a stack)."""
    for item in items:
        if item.nodeid.startswith("tests/faults/"):
            item.add_marker(pytest.mark.xdist_group("faults"))
