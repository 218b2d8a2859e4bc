"""The inventory command agent: inventory.commands -> events in the journal -> command.results."""

from __future__ import annotations

from typing import Any

import faust

from streams.agents.common import command_agent
from streams.runtime import CommandRuntime

AGGREGATE_TYPE = "inventory"


def register(app: faust.App, runtime: CommandRuntime) -> Any:
    """Register the inventory command agent on ``app``."""
    return command_agent(app, runtime, AGGREGATE_TYPE)
