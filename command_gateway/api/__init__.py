"""The GraphQL schema of the Command API (graphene)."""
