"""The one Kafka producer set-up the loader and the sales channels share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from confluent_kafka import Producer

Headers = dict[str, str | bytes | None]


def make_producer(bootstrap: str, linger_ms: int = 5, **config: Any) -> Any:
    """Return a producer that partitions by murmur2 like Zaiko's own (aiokafka) producers.

    With murmur2 one aggregate id always lands on the partition Zaiko's producers pick.
    ``config`` adds librdkafka settings (dotted names as ``client_id`` -> ``client.id``).
    """
    return Producer({
        "bootstrap.servers": bootstrap, "linger.ms": linger_ms, "acks": "all",
        "partitioner": "murmur2_random", "enable.idempotence": False,
        **{name.replace("_", "."): value for name, value in config.items()},
    })  # fmt: skip


def produce_when_room(
    producer: Any,
    topic: str,
    value: bytes,
    key: bytes,
    headers: Headers,
    on_delivery: Callable[[Any, Any], None],
) -> None:
    """Produce one message, serving acks until the local queue has room for it."""
    while True:
        try:
            producer.produce(topic, value, key, headers=headers, on_delivery=on_delivery)
            return
        except BufferError:
            producer.poll(0.05)
