"""The live operations page at the Query API's root: read model, feed, metrics, over SSE."""
