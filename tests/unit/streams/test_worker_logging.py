"""The worker's logging: the configured level holds for every logger, no spinner output."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import faust
import pytest

from connectors.logs import logging_config
from streams.logs import quiet_worker


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_the_root_logger_stays_at_the_configured_level(root_logger: logging.Logger) -> None:
    app = faust.App("zaiko-test-quiet-worker", broker="kafka://127.0.0.1:1", autodiscover=False)
    # Faust's own worker turns the root logger down to DEBUG for its spinner...
    plain = faust.Worker(app, loglevel="WARNING", override_logging=True,
                         logging_config=logging_config("WARNING", "json"))  # fmt: skip
    plain._setup_logging()
    assert root_logger.level == logging.DEBUG
    # ...so every boto3 and aiokafka debug call would build a record for nothing
    worker = quiet_worker(app, "WARNING", "json")
    worker._setup_logging()
    assert root_logger.level == logging.WARNING
    assert not logging.getLogger("botocore").isEnabledFor(logging.DEBUG)
    assert worker.spinner is None
