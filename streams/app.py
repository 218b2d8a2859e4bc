"""Build the Faust app from settings: at-least-once, topics declared elsewhere."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import faust

from streams.settings import WorkerSettings


def broker_url(bootstrap_servers: str) -> str:
    """Return Faust's broker URL for a comma-separated bootstrap list."""
    servers = [s.strip() for s in bootstrap_servers.split(",") if s.strip()]
    return ";".join(f"aiokafka://{server}" for server in servers)


def faust_datadir(app_id: str) -> Path:
    """Return where Faust may keep files: tables live in memory, so nothing is kept there.

    Faust's default is ``<app id>-data`` in the working directory, which left one empty
    directory per test app in the checkout.
    """
    return Path(tempfile.gettempdir()) / f"zaiko-faust-{app_id}"  # Faust makes no parents


def build_app(settings: WorkerSettings) -> faust.App:
    """Return the command-side Faust app (no agents yet; ``streams.bootstrap`` adds them)."""
    web: dict[str, Any] = {"web_enabled": False}
    if settings.worker_web_port > 0:
        web = {"web_enabled": True, "web_port": settings.worker_web_port,
               "web_bind": "127.0.0.1", "web_host": "127.0.0.1"}  # fmt: skip
    return faust.App(
        settings.app_id,
        broker=broker_url(settings.kafka_bootstrap_servers),
        # exactly_once needs Kafka transactions, which the embedded broker lacks; the
        # event store's conditional append and the outcome store give effect-once.
        processing_guarantee="at_least_once",
        broker_session_timeout=settings.broker_session_timeout_s,
        broker_rebalance_timeout=settings.broker_rebalance_timeout_s,
        broker_heartbeat_interval=min(3.0, settings.broker_session_timeout_s / 3),
        broker_commit_interval=settings.broker_commit_interval_s,
        topic_partitions=settings.topic_partitions,
        # the stack creates the contract topics; the worker must not create them with
        # other partition counts, nor the leader topic nobody needs.
        topic_allow_declare=False,
        topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        store="memory://",
        datadir=faust_datadir(settings.app_id),
        autodiscover=False,
        **web,
    )
