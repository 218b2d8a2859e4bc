"""``Publisher`` on confluent-kafka: idempotent, ordered, acknowledged before returning."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from connectors.bridge.ports import EventMessage, PublishError

log = logging.getLogger("zaiko.bridge")


def producer_config(bootstrap_servers: str, delivery_timeout_s: float) -> dict[str, Any]:
    """Return the producer settings that keep each key's order across retries.

    Idempotence (acks=all, at most 5 in flight, sequence numbers per partition) keeps
    order through retries without transactions, which Tansu lacks; it works on Tansu
    (InitProducerId without a transactional id). murmur2 is the contract's partitioner.
    """
    return {
        "bootstrap.servers": bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "partitioner": "murmur2_random",
        "linger.ms": 5,
        "message.timeout.ms": int(delivery_timeout_s * 1000),
    }


class KafkaPublisher:
    """Produces a batch, then waits until Kafka acknowledged every message of it."""

    def __init__(
        self,
        bootstrap_servers: str,
        delivery_timeout_s: float = 30.0,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        self._config = {
            **producer_config(bootstrap_servers, delivery_timeout_s),
            **(overrides or {}),
        }
        self._timeout_s = delivery_timeout_s + 5.0
        self._fatal: str | None = None
        self._producer = self._new_producer()

    def _new_producer(self) -> Any:
        from confluent_kafka import Producer

        self._fatal = None
        return Producer({**self._config, "error_cb": self._on_error})

    def _on_error(self, error: Any) -> None:
        if error.fatal():
            self._fatal = str(error)
        log.warning("kafka client error", extra={"error": str(error), "fatal": error.fatal()})

    def publish(self, messages: Sequence[EventMessage]) -> None:
        """Produce ``messages`` in order; return once all are acknowledged, else raise."""
        if self._fatal is not None:  # an idempotent producer that lost its state is done
            self._producer = self._new_producer()
        failures: list[str] = []

        def on_delivery(error: Any, message: Any) -> None:
            if error is not None:
                failures.append(f"{message.topic()}: {error}")

        for m in messages:
            while True:
                try:
                    self._producer.produce(
                        m.topic, m.value, m.key, headers=list(m.headers), on_delivery=on_delivery
                    )
                    break
                except BufferError:  # local queue full: serve callbacks, then retry
                    self._producer.poll(0.1)
        pending = self._producer.flush(self._timeout_s)
        if pending or failures:
            raise PublishError(
                f"{len(failures)} of {len(messages)} messages failed, {pending} unacknowledged"
                + (f"; first: {failures[0]}" if failures else "")
            )

    def close(self) -> None:
        """Flush what is pending."""
        self._producer.flush(self._timeout_s)
