"""The bridge's composition root and run loop (``zaiko bridge``)."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from connectors.bridge.checkpoints import DynamoDBCheckpointStore, SoleLease
from connectors.bridge.iterators import ReaderStats
from connectors.bridge.lease import DynamoDBLease
from connectors.bridge.lease_item import owner_id
from connectors.bridge.metrics import LAG, LEASE_HELD
from connectors.bridge.ports import CheckpointStore, Lease, LeaseLostError, Publisher
from connectors.bridge.reader import StreamReader
from connectors.bridge_settings import BridgeSettings
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import CHECKPOINTS, JOURNAL

log = logging.getLogger("zaiko.bridge")
_MAX_BACKOFF_S = 5.0


class Bridge:
    """Runs a ``StreamReader`` on the journal's current stream while it holds the lease."""

    def __init__(
        self,
        resolve_stream_arn: Callable[[], str],
        reader_for: Callable[[str], StreamReader],
        publisher: Publisher,
        settings: BridgeSettings,
        lease: Lease,
    ) -> None:
        self.reader: StreamReader | None = None
        self.lease = lease
        self._resolve = resolve_stream_arn
        self._reader_for = reader_for
        self._publisher = publisher
        self._settings = settings
        self._standing_by = False

    @property
    def stats(self) -> ReaderStats:
        """Return the current reader's counters."""
        return self.reader.stats if self.reader else ReaderStats()

    def _discover(self) -> StreamReader:
        arn = self._resolve()
        if self.reader is None or self.reader.stream_arn != arn:
            if self.reader is not None:  # the table was re-created (e.g. moto restarted)
                log.warning("journal stream changed", extra={"stream_arn": arn})
            self.reader = self._reader_for(arn)
        self.reader.discover()
        return self.reader

    def run(self, stop: threading.Event) -> None:
        """Bridge until ``stop`` is set; the batch in hand is finished and checkpointed first."""
        s = self._settings
        log.info("bridge started", extra={"bridge_id": s.bridge_id, "owner": self.lease.owner})
        keeper = threading.Thread(target=self._keep_lease, args=(stop,), name="bridge-lease",
                                  daemon=True)  # fmt: skip
        keeper.start()
        next_discovery = next_report = 0.0
        failures = 0
        try:
            while not stop.is_set():
                LEASE_HELD.set(1 if self.lease.held() else 0)
                if not self.lease.held():
                    LAG.set(0)  # a standby reads nothing: the holder's gauge tells the lag
                    if not self._stand_by():
                        stop.wait(s.lease_retry_s)
                        continue
                    next_discovery = 0.0
                bridged = 0
                try:
                    if time.monotonic() >= next_discovery:
                        self._discover()
                        next_discovery = time.monotonic() + s.discover_interval_s
                    bridged = self.reader.poll() if self.reader else 0
                    failures = 0
                except LeaseLostError:
                    self.lease.forget()  # stand by on the next turn
                    continue
                except Exception:
                    failures = min(failures + 1, 10)
                    log.exception("bridge round failed; resuming from the checkpoints")
                if time.monotonic() >= next_report:
                    log.info("bridge progress", extra=asdict(self.stats))
                    next_report = time.monotonic() + 10.0
                if not bridged:
                    stop.wait(min(s.poll_interval_s * 2**failures, _MAX_BACKOFF_S))
        finally:
            stop.set()
            keeper.join(timeout=30)
            self._publisher.close()
            self.lease.release()
            LEASE_HELD.set(0)
            log.info("bridge stopped", extra={"bridge_id": s.bridge_id, **asdict(self.stats)})

    def _stand_by(self) -> bool:
        """Without the lease: drop the reader and try to take the lease; return if taken."""
        if self.reader is not None:
            log.warning("bridge lease lost; standing by", extra={"owner": self.lease.owner})
            # a new hold starts again from the checkpoints (and fences out older holders)
            self.reader = None
        try:
            acquired = self.lease.try_acquire()
        except Exception:
            log.warning("cannot reach the bridge lease; retrying", exc_info=True)
            return False
        if not acquired and not self._standing_by:
            view = getattr(self.lease, "view", None)
            log.info("standing by: another bridge holds the lease",
                     extra={"owner": self.lease.owner, "holder": view and view.holder})  # fmt: skip
        self._standing_by = not acquired
        return acquired

    def _keep_lease(self, stop: threading.Event) -> None:
        """Renew the lease in the background, so a slow publish never lets it expire."""
        while not stop.wait(self._settings.lease_renew_s):
            if self.lease.held():
                try:
                    self.lease.renew()
                except Exception:  # retried; our own clock stops us before it expires
                    log.warning("bridge lease renewal failed", exc_info=True)


def bootstrap(
    settings: BridgeSettings,
    *,
    dynamodb: Any = None,
    streams: Any = None,
    publisher: Publisher | None = None,
    checkpoints: CheckpointStore | None = None,
    lease: Lease | None = None,
) -> Bridge:
    """Build the bridge from ``settings``; keyword overrides replace any client.

    In-memory ``checkpoints`` without a ``lease`` get a lease nobody else wants.
    """
    from connectors.bridge.kafka_publisher import KafkaPublisher

    dynamodb = dynamodb or dynamodb_client(settings)
    streams = streams or dynamodb_client(settings, service="dynamodbstreams")
    if publisher is None:
        publisher = KafkaPublisher(settings.kafka_bootstrap_servers, settings.delivery_timeout_s)
    table = CHECKPOINTS.name(settings.table_prefix)
    totals = ReaderStats()  # the process's counts, across readers (a new stream, a new hold)
    if lease is None:
        owner = owner_id(settings.instance_name)
        lease = (
            SoleLease()
            if checkpoints is not None
            else DynamoDBLease(
                dynamodb,
                table,
                settings.bridge_id,
                owner,
                settings.lease_ttl_s,
                dead_lettered=lambda: totals.dead_lettered,
            )
        )
    store = checkpoints or DynamoDBCheckpointStore(dynamodb, table, lease.fence)
    journal = JOURNAL.name(settings.table_prefix)

    def resolve_stream_arn() -> str:
        return str(dynamodb.describe_table(TableName=journal)["Table"]["LatestStreamArn"])

    def reader_for(arn: str) -> StreamReader:
        return StreamReader(
            streams,
            arn,
            publisher,
            store,
            bridge_id=settings.bridge_id,
            records_per_read=settings.records_per_read,
            guard=lease.fence,
            stats=totals,
        )

    return Bridge(resolve_stream_arn, reader_for, publisher, settings, lease)


def stop_on_signals(stop: threading.Event) -> None:
    """Set ``stop`` on SIGTERM or SIGINT; a second signal ends the process at once."""

    def handler(signum: int, _frame: object) -> None:
        log.info("stopping", extra={"signal": signal.Signals(signum).name})
        stop.set()
        signal.signal(signum, signal.SIG_DFL)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)
