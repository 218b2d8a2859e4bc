"""The projection deployable: a Faust app of its own feeding the read model, cache and alerts."""
