"""The bridge logs one JSON object per line, with its structured fields."""

from __future__ import annotations

import json
import logging

from connectors.bridge.logs import JsonFormatter


def test_a_log_record_becomes_one_json_line_with_its_extra_fields() -> None:
    record = logging.LogRecord(
        "zaiko.bridge", logging.WARNING, __file__, 1, "shard %s", ("s-1",), None
    )
    record.trim_restarts = 2

    line = JsonFormatter().format(record)

    data = json.loads(line)
    assert (data["level"], data["logger"], data["msg"]) == ("WARNING", "zaiko.bridge", "shard s-1")
    assert data["trim_restarts"] == 2
    assert "\n" not in line
