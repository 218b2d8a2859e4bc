"""The projector's first step: refuse a read model that belongs to another journal epoch."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from connectors.dynamodb.client import dynamodb_client
from connectors.postgres.conninfo import with_timeouts
from connectors.read_model_epoch import NO_JOURNAL, EpochCheck, check_epoch
from streams.projector.settings import ProjectorSettings

log = logging.getLogger(__name__)
RETRY_S = 2.0
EXIT_EPOCH_MISMATCH = 2


def require_read_model_epoch(
    settings: ProjectorSettings, sleep: Callable[[float], None] = time.sleep
) -> EpochCheck:
    """Return once the read model belongs to the journal (recording its epoch if new).

    Waits while the journal or PostgreSQL cannot be read yet; exits with code 2 when the
    read model holds positions of another journal epoch: projecting would skip the new
    journal's events as already applied.
    """
    import psycopg

    url = with_timeouts(settings.effective_database_url)
    while True:
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                check = check_epoch(conn, dynamodb_client(settings), settings.table_prefix)
        except Exception as exc:
            log.warning("cannot compare the read model with the journal yet (%s); retrying",
                        exc)  # fmt: skip
            sleep(RETRY_S)
            continue
        if check.verdict == NO_JOURNAL:
            log.warning("the journal has no epoch yet (tables not created); retrying")
            sleep(RETRY_S)
            continue
        if not check.ok:
            log.error("refusing to project: %s", check.describe())
            raise SystemExit(EXIT_EPOCH_MISMATCH)
        log.info("read model checked against the journal: %s", check.describe())
        return check
