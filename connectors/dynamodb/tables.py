"""The DynamoDB tables Zaiko owns, and an idempotent way to create them.

- journal: one item per accepted command, or per run of consecutive commands of one
  aggregate appended together; pk ``aggregate_id`` (S), sk ``seq_nr`` (N) = the first
  sequence number of its events. Stream: NEW_IMAGE, read by the stream bridge.
- snapshots: pk ``aggregate_id`` (S), sk ``seq_nr`` (N) = the version snapshotted.
- checkpoints: pk ``checkpoint_id`` (S): the stream bridge's position per shard.
- outcomes: pk ``command_id`` (S): the original outcome of every command, so a
  redelivered command is answered the same way after a worker restart.
- open-transfers: pk ``transfer_key`` (S) = ``<source inventory id>/<transfer id>``: one
  item per transfer whose OUT leg may be in the journal and is not settled yet
  (``connectors.open_transfers``); its size is the number of open transfers.

Snapshots, outcomes and open transfers describe one journal's history, so they start
over with it: ``ensure_tables`` empties them whenever it creates the journal table.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableSpec:
    """A table's suffix, key schema and whether it streams new images."""

    suffix: str
    partition_key: tuple[str, str]
    sort_key: tuple[str, str] | None = None
    stream: bool = False

    def name(self, prefix: str) -> str:
        """Return the full table name under ``prefix``."""
        return f"{prefix}{self.suffix}"

    def create_kwargs(self, prefix: str) -> dict[str, Any]:
        """Return boto3 ``create_table`` arguments (on-demand billing)."""
        keys = [self.partition_key] + ([self.sort_key] if self.sort_key else [])
        kwargs: dict[str, Any] = {
            "TableName": self.name(prefix),
            "KeySchema": [
                {"AttributeName": name, "KeyType": kind}
                for (name, _), kind in zip(keys, ("HASH", "RANGE"), strict=False)
            ],
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in keys],
            "BillingMode": "PAY_PER_REQUEST",
        }
        if self.stream:
            kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        return kwargs


JOURNAL = TableSpec("journal", ("aggregate_id", "S"), ("seq_nr", "N"), stream=True)
SNAPSHOTS = TableSpec("snapshots", ("aggregate_id", "S"), ("seq_nr", "N"))
CHECKPOINTS = TableSpec("checkpoints", ("checkpoint_id", "S"))
OUTCOMES = TableSpec("outcomes", ("command_id", "S"))
OPEN_TRANSFERS = TableSpec("open-transfers", ("transfer_key", "S"))
ALL_TABLES = (JOURNAL, SNAPSHOTS, CHECKPOINTS, OUTCOMES, OPEN_TRANSFERS)
# Their items are about the journal's history (a state at version N, a command it
# applied, an OUT leg it holds): kept beside a new journal they would be taken for its
# own. The checkpoints stay: the bridge's positions are keyed by the journal stream's
# ARN, which a new table does not share, and the lease is about bridges, not history.
JOURNAL_DEPENDENTS = (SNAPSHOTS, OUTCOMES, OPEN_TRANSFERS)
_WAIT = {"Delay": 1, "MaxAttempts": 30}


def ensure_tables(client: Any, prefix: str) -> list[str]:
    """Create any missing table and wait until all are active; return those created.

    A journal created here starts a new epoch (``connectors.dynamodb.epoch``); an
    existing journal keeps its epoch (one is written if it has none yet). The tables in
    ``JOURNAL_DEPENDENTS`` start over with a new journal: any left from the old one are
    deleted and created again, while no epoch exists (a worker holds its batches), and
    before the journal itself, so a crash part way leaves the journal missing and the
    next call does it all again.
    """
    from connectors.dynamodb.epoch import ensure_epoch, forget_epoch, new_epoch  # imports us

    paginate = client.get_paginator("list_tables").paginate()
    existing = {name for page in paginate for name in page.get("TableNames", [])}
    journal = JOURNAL.name(prefix)
    if journal not in existing:
        stale = [s.name(prefix) for s in JOURNAL_DEPENDENTS if s.name(prefix) in existing]
        forget_epoch(client, prefix)
        if stale:
            log.warning("no journal table %s: emptying %s, which describe the old one",
                        journal, ", ".join(stale))  # fmt: skip
            _drop(client, stale)
            existing.difference_update(stale)
    created = []
    for spec in (*(s for s in ALL_TABLES if s is not JOURNAL), JOURNAL):  # the journal last
        name = spec.name(prefix)
        if name in existing:
            continue
        try:
            client.create_table(**spec.create_kwargs(prefix))
            created.append(name)
        except client.exceptions.ResourceInUseException:
            pass  # another process created it between list and create
    waiter = client.get_waiter("table_exists")
    for spec in ALL_TABLES:
        waiter.wait(TableName=spec.name(prefix), WaiterConfig=_WAIT)
    if journal in created:
        new_epoch(client, prefix)
    else:
        ensure_epoch(client, prefix)
    return created


def _drop(client: Any, names: list[str]) -> None:
    """Delete the tables ``names`` and wait until they are gone."""
    for name in names:
        with contextlib.suppress(client.exceptions.ResourceNotFoundException):  # gone already
            client.delete_table(TableName=name)
    waiter = client.get_waiter("table_not_exists")
    for name in names:
        waiter.wait(TableName=name, WaiterConfig=_WAIT)
