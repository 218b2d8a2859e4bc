"""A command worker whose outcome writes fail while a flag file exists.

``python -m tests.integration.streams.gated_worker`` with ``ZAIKO_TEST_OUTCOMES_DOWN``
naming the flag file; otherwise exactly ``zaiko worker`` (same composition root).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from connectors.dynamodb.client import command_path_client
from connectors.eventstore.errors import EventStoreError
from connectors.eventstore.port import CommandOutcome
from connectors.eventstore.wiring import build_stores
from streams.bootstrap import bootstrap
from streams.logs import quiet_worker
from streams.settings import WorkerSettings

FLAG_VARIABLE = "ZAIKO_TEST_OUTCOMES_DOWN"


class GatedOutcomes:
    """The outcome store, its writes failing like an unreachable table while ``flag`` exists."""

    def __init__(self, store: Any, flag: Path) -> None:
        self._store = store
        self._flag = flag

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def _check(self) -> None:
        if self._flag.exists():
            raise EventStoreError("outcomes table unreachable (test flag)")

    def record_outcome(self, outcome: CommandOutcome) -> CommandOutcome:
        self._check()
        return self._store.record_outcome(outcome)  # type: ignore[no-any-return]

    def record_outcomes(self, outcomes: Any, known_absent: bool = False) -> Any:
        self._check()
        return self._store.record_outcomes(outcomes, known_absent)


def main() -> None:
    settings = WorkerSettings()
    stores = build_stores(command_path_client(settings), settings.table_prefix)
    gated = GatedOutcomes(stores.outcomes, Path(os.environ[FLAG_VARIABLE]))
    worker = bootstrap(settings, stores=stores._replace(outcomes=gated))
    try:
        quiet_worker(worker.app, settings.log_level, settings.log_format).execute_from_commandline()
    finally:
        worker.runtime.shutdown()


if __name__ == "__main__":
    main()
