"""The fault suite's harness: a stack with N instances per service, floods, counts, checks."""
