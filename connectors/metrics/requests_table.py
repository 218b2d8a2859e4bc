"""Print a run's DynamoDB requests per accepted command, by operation and process."""

from __future__ import annotations

from rich.table import Table

from connectors.metrics.requests import Usage

_NUMBERS = ("requests", "/s", "per accepted command")


def requests_table(usage: Usage, accepted: int, title: str) -> Table:
    """Return a table: operation, process, requests, per second, per accepted command."""
    table = Table(title=title, caption=_caption(usage, accepted))
    for column in ("operation", "process", "requests", "/s", "per accepted command", "not ok"):
        table.add_column(column, justify="right" if column in _NUMBERS else "left")
    totals = usage.by_operation()
    for operation in sorted(totals, key=lambda op: (-totals[op], op)):
        rows = _by_process(usage, operation)
        for i, (process, (n, not_ok)) in enumerate(rows.items()):
            table.add_row(operation if i == 0 else "", process, *_figures(n, usage, accepted),
                          not_ok)  # fmt: skip
        if len(rows) > 1:
            table.add_row("", "[bold]all[/]", *_figures(totals[operation], usage, accepted), "")
    total = sum(totals.values())
    table.add_section()
    table.add_row("[bold]all[/]", "", *_figures(total, usage, accepted), "")
    return table


def _by_process(usage: Usage, operation: str) -> dict[str, tuple[float, str]]:
    """Return process -> (requests, "12 conditional_failed, …") for one operation."""
    found: dict[str, dict[str, float]] = {}
    for (process, op, outcome), n in usage.counts.items():
        if op == operation:
            outcomes = found.setdefault(process, {})
            outcomes[outcome] = outcomes.get(outcome, 0.0) + n
    ordered = sorted(found.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {
        process: (sum(o.values()), ", ".join(f"{n:,.0f} {k}" for k, n in o.items() if k != "ok"))
        for process, o in ordered
    }


def _figures(n: float, usage: Usage, accepted: int) -> tuple[str, str, str]:
    rate = n / usage.seconds if usage.seconds > 0 else 0.0
    per = f"{n / accepted:.3f}" if accepted else "-"
    return f"{n:,.0f}", f"{rate:,.1f}", per


def _caption(usage: Usage, accepted: int) -> str:
    text = f"{accepted:,} accepted commands in {usage.seconds:.1f} s"
    if usage.silent:
        text += f"; no answer from {', '.join(usage.silent)} (not counted)"
    return text
