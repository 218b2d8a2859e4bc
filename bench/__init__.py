"""Benchmarks (``zaiko bench ...``): measure the running system, report against targets."""
