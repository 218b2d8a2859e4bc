"""The worker's metric families: commands, their latencies, 受払 and 引当, consumer lag.

Labels are bounded vocabularies (aggregate and command types, statuses, rejection
codes, warehouses, zone types, storage conditions, topic partitions), never ids.
"""

from __future__ import annotations

from connectors.metrics import counter, gauge, histogram

COMMANDS = counter(
    "zaiko_commands_total",
    "Command messages answered, by aggregate type, command type, status and rejection code.",
    ("aggregate_type", "command_type", "status", "code"),
)
DECIDE_SECONDS = histogram(
    "zaiko_command_decide_seconds",
    "Time to decide one command on its aggregate's state (refs loaded included).",
    ("aggregate_type",),
)
APPEND_SECONDS = histogram(
    "zaiko_command_append_seconds",
    "Time of one conditional journal append (one per aggregate and round).",
    ("aggregate_type",),
)
OUTCOME_SECONDS = histogram(
    "zaiko_command_outcome_seconds",
    "From the command record's timestamp to its outcome published on command.results.",
    ("aggregate_type", "command_type"),
)

STOCK_MOVEMENTS = counter(
    "zaiko_stock_movements_total",
    "受払: stock movements appended to the journal, by kind (入庫/出庫/移動/調整) and warehouse.",
    ("kind", "warehouse"),
)
STOCK_MOVED_UNITS = counter(
    "zaiko_stock_moved_units_total",
    "受払: units moved, by kind (入庫/出庫/移動/調整; 調整 counts |delta|) and warehouse.",
    ("kind", "warehouse"),
)
RESERVATIONS = counter(
    "zaiko_reservations_total",
    "引当: reservations by outcome (success/failure) and rejection code; stock refused "
    "by a zone of another storage condition counts as a failure "
    "(STORAGE_CONDITION_VIOLATION) too.",
    ("warehouse", "zone", "zone_type", "storage_condition", "outcome", "code"),
)

CONSUMER_LAG = gauge(
    "zaiko_kafka_consumer_lag",
    "Records behind: the highwater the broker last reported in a Fetch minus the position.",
    ("group", "topic", "partition"),
)
CONSUMER_HIGHWATER = gauge(
    "zaiko_kafka_consumer_highwater",
    "The partition's highwater as the broker last reported it in a Fetch response.",
    ("group", "topic", "partition"),
)
CONSUMER_POSITION = gauge(
    "zaiko_kafka_consumer_position",
    "The consumer group's committed offset (the next record it will process).",
    ("group", "topic", "partition"),
)
STATE_TABLE_READS = counter(
    "zaiko_state_table_reads_total",
    "States missing from the LRU looked up in the state table: hit, miss, other_epoch, unreadable.",
    ("result",),
)
STATE_TABLE_WRITES = counter(
    "zaiko_state_table_writes_total",
    "States written to the state table's changelog (one per aggregate appended to, per batch).",
    (),
)
