"""What a projected batch must publish: dead letters (original headers kept), alerts, notices."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from connectors.notifications import outgoing
from schemas import DEAD_LETTER_TOPIC, INVENTORY_ALERTS_TOPIC, LowStockAlert, encode, schema_name_of
from schemas.topics import HEADER_MESSAGE_TYPE
from streams.projection import BatchResult, DeadLetter
from streams.runtime import dead_letter_headers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One record to produce: topic name, key, value and headers."""

    topic: str
    key: bytes | None
    value: bytes
    headers: dict[str, bytes]


def alert_key(alert: LowStockAlert) -> bytes:
    """Return the contract's key of an alert: the inventory id ``<product id>@<zone id>``."""
    return f"{alert.product_id}@{alert.zone_id}".encode()


def messages_of(result: BatchResult) -> list[Message]:
    """Return the dead letters, the alerts, then the notifications of a projected batch."""
    messages = [dead_letter_message(dead) for dead in result.dead_letters]
    for alert in result.alerts:
        headers = {HEADER_MESSAGE_TYPE: schema_name_of(alert).encode()}
        messages.append(Message(INVENTORY_ALERTS_TOPIC, alert_key(alert), encode(alert), headers))
    messages.extend(Message(*outgoing(n)) for n in result.notifications)
    return messages


def dead_letter_message(dead: DeadLetter) -> Message:
    """Return the ``dead-letter`` record of ``dead``: its key, value and headers, plus why."""
    record = dead.record
    log.warning("dead-lettering %s[%d]@%d: %s", record.topic, record.partition, record.offset,
                dead.reason)  # fmt: skip
    headers = dead_letter_headers(dead.reason, record.topic, record.partition, record.offset,
                                  record.headers)  # fmt: skip
    return Message(DEAD_LETTER_TOPIC, record.key, record.value or b"", headers)
