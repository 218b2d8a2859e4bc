"""The operations page against the embedded stack."""
