from __future__ import annotations

import pytest

from schemas.topics import (
    COMMAND_RESULTS_TOPIC,
    DEAD_LETTER_TOPIC,
    INVENTORY_ALERTS_TOPIC,
    command_topic_for,
    event_topic_for,
)


@pytest.mark.parametrize(
    ("aggregate", "commands", "events"),
    [
        ("product", "product.commands", "product.events"),
        ("customer", "customer.commands", "customer.events"),
        ("warehouse", "warehouse.commands", "warehouse.events"),
        ("warehouse-zone", "warehouse-zone.commands", "warehouse-zone.events"),
        ("warehouse_zone", "warehouse-zone.commands", "warehouse-zone.events"),
        ("inventory", "inventory.commands", "inventory.events"),
    ],
)
def test_each_aggregate_type_has_a_command_and_an_event_topic(aggregate, commands, events) -> None:
    assert command_topic_for(aggregate) == commands
    assert event_topic_for(aggregate) == events


def test_an_unknown_aggregate_type_has_no_topic() -> None:
    with pytest.raises(ValueError, match="unknown aggregate"):
        command_topic_for("order")


def test_the_shared_topics_have_their_contract_names() -> None:
    assert (COMMAND_RESULTS_TOPIC, INVENTORY_ALERTS_TOPIC, DEAD_LETTER_TOPIC) == (
        "command.results",
        "inventory.alerts",
        "dead-letter",
    )
