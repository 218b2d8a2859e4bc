"""Audit: compare the Postgres read model with the DynamoDB event store (``zaiko audit``)."""

from __future__ import annotations

from connectors.audit.audit import AuditReport, print_report, run_audit
from connectors.audit.compare import Difference, compare
from connectors.audit.journal import JournalAggregate, Quantities, fold_quantities, scan_journal
from connectors.audit.readmodel import ReadModel, read_model

__all__ = [
    "AuditReport",
    "Difference",
    "JournalAggregate",
    "Quantities",
    "ReadModel",
    "compare",
    "fold_quantities",
    "print_report",
    "read_model",
    "run_audit",
    "scan_journal",
]
