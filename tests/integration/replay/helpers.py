"""A private database, private event topics and a private journal for each replay test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

from compose.migrate import apply_migrations
from connectors.bridge.messages import messages_for_entry
from connectors.eventstore.port import JournalEntry, NewEvent, StoredEvent
from domain.messages import aggregate_type_of
from schemas import EventEnvelope, encode
from schemas.topics import AGGREGATE_TYPES


@contextmanager
def private_database(server_url: str) -> Iterator[str]:
    """Create and migrate a database of its own; drop it afterwards."""
    name = f"replay_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = server_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        apply_migrations(url)
        yield url
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))


def create_topics(bootstrap: str, partitions: int = 3) -> dict[str, str]:
    """Create one fresh event topic per aggregate type; return aggregate -> topic."""
    from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

    run = uuid.uuid4().hex[:8]
    topics = {a: f"replay-{run}-{a}.events" for a in AGGREGATE_TYPES}
    admin: Any = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics(
        [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in topics.values()]
    )
    for future in futures.values():
        future.result(timeout=30)
    return topics


def journal_entry(envelope: EventEnvelope[Any]) -> JournalEntry:
    """Return the one-event journal entry the command side would have written."""
    meta = envelope.meta
    stored = StoredEvent(meta.aggregate_id, meta.sequence_nr, meta.event_id,
                         type(envelope.event).__name__, encode(envelope),
                         int(meta.occurred_at.timestamp() * 1000), meta.causation_id)  # fmt: skip
    return JournalEntry(meta.aggregate_id, aggregate_type_of(envelope.event), meta.sequence_nr,
                        meta.sequence_nr, meta.causation_id, "corr", (stored,))  # fmt: skip


def new_event(envelope: EventEnvelope[Any]) -> NewEvent:
    """Return the event as the event store's append takes it."""
    meta = envelope.meta
    return NewEvent(meta.event_id, type(envelope.event).__name__, encode(envelope),
                    int(meta.occurred_at.timestamp() * 1000))  # fmt: skip


def publish(bootstrap: str, topics: dict[str, str], story: list[EventEnvelope[Any]]) -> None:
    """Produce the events as the bridge does (same key, value, headers), to ``topics``."""
    from confluent_kafka import Producer

    # linger so the broker gets record batches of many records: the case where Tansu's
    # ListOffsets is wrong and only the fetch high watermark can be trusted
    producer = Producer({"bootstrap.servers": bootstrap, "partitioner": "murmur2_random",
                         "linger.ms": 50, "enable.idempotence": True})  # fmt: skip
    for envelope in story:
        for m in messages_for_entry(journal_entry(envelope)):
            topic = topics[m.topic.removesuffix(".events")]
            producer.produce(topic, m.value, m.key, headers=list(m.headers))
    assert producer.flush(30) == 0
