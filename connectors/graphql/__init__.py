"""What both GraphQL gateways share at their edge: request limits, cost, tokens, bodies."""
