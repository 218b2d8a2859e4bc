"""The bridge's composition root and run loop (``zaiko bridge``)."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from connectors.bridge.checkpoints import DynamoDBCheckpointStore
from connectors.bridge.iterators import ReaderStats
from connectors.bridge.ports import CheckpointStore, Publisher
from connectors.bridge.reader import StreamReader
from connectors.bridge_settings import BridgeSettings
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import CHECKPOINTS, JOURNAL

log = logging.getLogger("zaiko.bridge")
_MAX_BACKOFF_S = 5.0


class Bridge:
    """Runs a ``StreamReader`` on the journal's current stream until told to stop."""

    def __init__(
        self,
        resolve_stream_arn: Callable[[], str],
        reader_for: Callable[[str], StreamReader],
        publisher: Publisher,
        settings: BridgeSettings,
    ) -> None:
        self.reader: StreamReader | None = None
        self._resolve = resolve_stream_arn
        self._reader_for = reader_for
        self._publisher = publisher
        self._settings = settings

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
        log.info("bridge started", extra={"bridge_id": s.bridge_id})
        next_discovery = next_report = 0.0
        failures = 0
        try:
            while not stop.is_set():
                bridged = 0
                try:
                    if time.monotonic() >= next_discovery:
                        self._discover()
                        next_discovery = time.monotonic() + s.discover_interval_s
                    bridged = self.reader.poll() if self.reader else 0
                    failures = 0
                except Exception:
                    failures = min(failures + 1, 10)
                    log.exception("bridge round failed; resuming from the checkpoints")
                if time.monotonic() >= next_report:
                    log.info("bridge progress", extra=asdict(self.stats))
                    next_report = time.monotonic() + 10.0
                if not bridged:
                    stop.wait(min(s.poll_interval_s * 2**failures, _MAX_BACKOFF_S))
        finally:
            self._publisher.close()
            log.info("bridge stopped", extra={"bridge_id": s.bridge_id, **asdict(self.stats)})


def bootstrap(
    settings: BridgeSettings,
    *,
    dynamodb: Any = None,
    streams: Any = None,
    publisher: Publisher | None = None,
    checkpoints: CheckpointStore | None = None,
) -> Bridge:
    """Build the bridge from ``settings``; keyword overrides replace any client."""
    from connectors.bridge.kafka_publisher import KafkaPublisher

    dynamodb = dynamodb or dynamodb_client(settings)
    streams = streams or dynamodb_client(settings, service="dynamodbstreams")
    if publisher is None:
        publisher = KafkaPublisher(settings.kafka_bootstrap_servers, settings.delivery_timeout_s)
    store = checkpoints or DynamoDBCheckpointStore(
        dynamodb, CHECKPOINTS.name(settings.table_prefix)
    )
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
        )

    return Bridge(resolve_stream_arn, reader_for, publisher, settings)


def stop_on_signals(stop: threading.Event) -> None:
    """Set ``stop`` on SIGTERM or SIGINT; a second signal ends the process at once."""

    def handler(signum: int, _frame: object) -> None:
        log.info("stopping", extra={"signal": signal.Signals(signum).name})
        stop.set()
        signal.signal(signum, signal.SIG_DFL)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)
