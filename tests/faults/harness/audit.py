"""``zaiko audit`` for a scenario's aggregates, with their journals read by GetItem chains.

The audit's own comparison (``connectors.audit.compare`` over ``read_model``) on the
journal the harness read, instead of ``run_audit``'s Scan: moto's Scan costs about 5 ms
per item of the whole table here (5,000 items: 25 s), so a Scan per scenario on the
shared, growing journal would eat the suite's time budget. The whole-table audit
(``run_audit``) runs in the scenario at D商事's size.
"""

from __future__ import annotations

import re

import psycopg

from connectors.audit import Difference, JournalAggregate, compare, read_model
from connectors.postgres.conninfo import LONG, with_timeouts
from tests.faults.harness.journal import Journal


def audit_journal(url: str, journal: Journal, match: str) -> list[Difference]:
    """Return the audit's differences between ``journal`` and the read model's ``match``es."""
    aggregates = {}
    for aggregate_id, entries in journal.entries.items():
        if entries:
            aggregate = JournalAggregate(aggregate_id, entries[0].aggregate_type)
            aggregate.entries.extend(entries)
            aggregates[aggregate_id] = aggregate
    with psycopg.connect(with_timeouts(url, LONG), autocommit=True) as conn:
        model = read_model(conn, re.compile(match))
    return compare(aggregates, model)
