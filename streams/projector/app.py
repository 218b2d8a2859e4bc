"""Build the projection Faust app: its own consumer group, at-least-once, no tables."""

from __future__ import annotations

from typing import Any

import faust

from streams.app import broker_url, faust_datadir
from streams.projector.settings import ProjectorSettings


def build_projector_app(settings: ProjectorSettings) -> faust.App:
    """Return the projection app (agents are added by ``streams.projector.bootstrap``)."""
    web: dict[str, Any] = {"web_enabled": False}
    if settings.projector_web_port > 0:
        web = {"web_enabled": True, "web_port": settings.projector_web_port,
               "web_bind": "127.0.0.1", "web_host": "127.0.0.1"}  # fmt: skip
    return faust.App(
        settings.projector_id,
        broker=broker_url(settings.kafka_bootstrap_servers),
        # Sinks are idempotent (positions, versioned cache, alert state), which is what
        # makes at-least-once enough; the embedded broker has no transactions anyway.
        processing_guarantee="at_least_once",
        broker_session_timeout=settings.broker_session_timeout_s,
        broker_rebalance_timeout=settings.broker_rebalance_timeout_s,
        broker_heartbeat_interval=min(3.0, settings.broker_session_timeout_s / 3),
        broker_commit_interval=settings.broker_commit_interval_s,
        topic_partitions=settings.topic_partitions,
        topic_allow_declare=False,  # the stack owns the contract topics
        topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",  # a new group projects the whole topic
        producer_acks=-1,
        store="memory://",
        datadir=faust_datadir(settings.projector_id),
        autodiscover=False,
        **web,
    )
