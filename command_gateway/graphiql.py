"""What the Command API's GraphiQL page shows: its title and the query it opens with."""

from __future__ import annotations

TITLE = "Zaiko Command API"
DEFAULT_QUERY = """\
# Every command is a mutation; send X-API-Key when keys are set
mutation {
  receiveStock(
    input: {inventoryId: "PRD-000001@TKY-01", quantity: 24}
  ) {
    commandId aggregateId version eventTypes consistencyToken
  }
}
"""
