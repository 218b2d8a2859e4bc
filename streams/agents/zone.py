"""The warehouse-zone command agent: zone commands -> journal events -> command.results."""

from __future__ import annotations

from typing import Any

import faust

from streams.agents.common import command_agent
from streams.runtime import CommandRuntime

AGGREGATE_TYPE = "warehouse-zone"


def register(app: faust.App, runtime: CommandRuntime) -> Any:
    """Register the warehouse-zone command agent on ``app``."""
    return command_agent(app, runtime, AGGREGATE_TYPE)
