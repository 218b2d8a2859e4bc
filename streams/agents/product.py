"""The product command agent: product.commands -> events in the journal -> command.results."""

from __future__ import annotations

from typing import Any

import faust

from streams.agents.common import command_agent
from streams.runtime import CommandRuntime

AGGREGATE_TYPE = "product"


def register(app: faust.App, runtime: CommandRuntime) -> Any:
    """Register the product command agent on ``app``."""
    return command_agent(app, runtime, AGGREGATE_TYPE)
