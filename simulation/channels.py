"""D商事's sales channels and back-office systems, each a Kafka producer of its own.

Written as a partner outside Zaiko would (docs/contract.md): confluent-kafka with the
murmur2 partitioner Zaiko's producers use, values single-object encoded with fastavro
from the published .avsc files, the contract's headers, key = the inventory id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from domain.enums import CustomerType
from simulation.movement import Movement
from simulation.producer import Headers, make_producer, produce_when_room
from simulation.wire import command_schema

INVENTORY_TOPIC = "inventory.commands"


@dataclass(frozen=True)
class Channel:
    """A source of commands: ``meta.channel`` id, who operates it, and its label."""

    label: str
    channel_id: str
    operator: str


ORDER_CHANNELS: dict[CustomerType, Channel] = {
    CustomerType.SUPERMARKET: Channel("スーパー", "supermarket-edi", "EDI受注"),
    CustomerType.CONVENIENCE_STORE: Channel("コンビニ", "cvs-edi", "コンビニ発注"),
    CustomerType.RESTAURANT: Channel("飲食店", "restaurant-web", "Web受注"),
    CustomerType.RETAILER: Channel("小売店", "retail-fax", "FAX受注"),
}
PURCHASING = Channel("仕入", "purchasing", "入荷検品")
TRANSFERS = Channel("倉庫間移動", "wms-transfer", "倉庫間移動")
STOCK_CONTROL = Channel("在庫管理", "wms-stock-control", "在庫管理")
CHANNELS: dict[str, Channel] = {
    c.label: c for c in (*ORDER_CHANNELS.values(), PURCHASING, TRANSFERS, STOCK_CONTROL)
}


class ChannelProducer:
    """One channel's producer: encodes a movement as Avro and sends it keyed by inventory."""

    def __init__(self, channel: Channel, bootstrap: str) -> None:
        self.channel = channel
        self.failed = 0  # messages the broker did not take
        # murmur2 like Zaiko's own (aiokafka) producers, so one inventory = one partition
        self._producer = make_producer(bootstrap, linger_ms=2,
                                       client_id=f"d-shoji-{channel.channel_id}")  # fmt: skip

    def send(self, movement: Movement, correlation_id: str) -> None:
        """Produce ``movement`` now (asynchronously; ``poll``/``flush`` serve the acks)."""
        value, headers = encode_movement(movement, self.channel, correlation_id)
        produce_when_room(self._producer, INVENTORY_TOPIC, value,
                          movement.aggregate_id.encode(), headers, self._delivered)  # fmt: skip

    def poll(self) -> None:
        self._producer.poll(0)

    def flush(self, timeout_s: float = 30.0) -> int:
        """Wait for every ack; return how many messages are still undelivered."""
        return int(self._producer.flush(timeout_s))

    def _delivered(self, error: Any, _message: Any) -> None:
        if error is not None:
            self.failed += 1


def encode_movement(
    movement: Movement, channel: Channel, correlation_id: str
) -> tuple[bytes, Headers]:
    """Return the Avro single-object value and the contract's headers of ``movement``."""
    schema = command_schema("inventory", movement.command)
    datum: dict[str, Any] = {
        "meta": {
            "command_id": movement.command_id,
            "aggregate_id": movement.aggregate_id,
            "expected_version": None,  # no optimistic lock: Zaiko decides against its state
            "issued_at": dt.datetime.now(dt.UTC),
            "channel": channel.channel_id,
            "correlation_id": correlation_id,
        },
        **movement.fields,
    }
    headers: Headers = {
        "zaiko-message-type": schema.full_name,
        "zaiko-command-id": movement.command_id,
    }
    return schema.encode(datum), headers
