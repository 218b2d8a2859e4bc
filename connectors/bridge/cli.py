"""What ``zaiko bridge`` and ``zaiko bridge --republish`` do (compose/cli.py calls these)."""

from __future__ import annotations

import threading

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from connectors.bridge.republish import RepublishReport, load_journal, republish
from connectors.bridge.service import bootstrap, stop_on_signals
from connectors.bridge_settings import BridgeSettings
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import JOURNAL
from connectors.logs import configure_logging
from connectors.metrics import serve as serve_metrics


def _configured(settings: BridgeSettings | None) -> BridgeSettings:
    """Return the settings given (else read them) with the bridge's logging configured."""
    settings = settings or BridgeSettings()
    configure_logging(
        settings.log_level,
        settings.log_format,
        "bridge",
        settings.instance_name,
        settings.log_levels,
    )
    return settings


def run_bridge(settings: BridgeSettings | None = None) -> None:
    """Bridge the journal's stream to Kafka until SIGTERM or SIGINT."""
    settings = _configured(settings)
    stop = threading.Event()
    stop_on_signals(stop)
    bridge = bootstrap(settings)
    serve_metrics(settings.metrics_port, settings.metrics_host)
    bridge.run(stop)


def run_republish(settings: BridgeSettings | None = None) -> RepublishReport:
    """Re-publish every journal entry to the event topics, showing progress."""
    from connectors.bridge.kafka_publisher import KafkaPublisher

    settings = _configured(settings)
    console = Console(stderr=True)
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, settings.delivery_timeout_s)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console) as progress:
            scanning = progress.add_task("scanning the journal", total=None)
            journal = load_journal(
                dynamodb_client(settings),
                JOURNAL.name(settings.table_prefix),
                on_scanned=lambda n: progress.update(scanning, completed=n),
            )
            entries = sum(len(e) for e in journal.values())
            progress.update(scanning, total=entries, completed=entries)
            publishing = progress.add_task("publishing entries", total=entries)
            report = republish(
                journal,
                publisher,
                on_published=lambda done, _total: progress.update(publishing, completed=done),
            )
    finally:
        publisher.close()
    console.print(
        f"re-published {report.events} event(s) of {report.entries} entries"
        f" for {report.aggregates} aggregate(s)"
    )
    return report
