"""Every metric the Grafana dashboard plots exists in the code's Prometheus registry."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import REGISTRY

ROOT = Path(__file__).resolve().parents[3]
DASHBOARD = ROOT / "compose" / "grafana" / "dashboards" / "zaiko.json"
METRIC = re.compile(r"\bzaiko_[a-z0-9_]+\b")
# the series a family of each type exposes (what PromQL names), by suffix of its name
SAMPLE_SUFFIXES = {
    "counter": ("_total",),
    "gauge": ("",),
    "histogram": ("_bucket", "_sum", "_count"),
    "summary": ("", "_sum", "_count"),
    "info": ("_info",),
}


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def plotted_metrics() -> set[str]:
    """Return every zaiko_ series name used by the dashboard's PromQL expressions."""
    dashboard = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in _panels(dashboard["panels"]) for t in p.get("targets", [])]
    return {name for expr in exprs for name in METRIC.findall(expr)}


def registered_series() -> set[str]:
    """Import every package's metrics module (and the core), return the series they expose."""
    packages = [d for d in ROOT.iterdir() if (d / "__init__.py").exists() and d.name != "tests"]
    found = (p.relative_to(ROOT) for d in packages for p in d.rglob("metrics.py"))
    modules = sorted(".".join(p.with_suffix("").parts) for p in found)
    for module in ["connectors.metrics", *modules]:
        importlib.import_module(module)
    # the read-model gauges are registered where the gateway serves /metrics; they name
    # their families without reading PostgreSQL
    from query_gateway.metrics import ReadModelGauges

    families = [*REGISTRY.collect(), *ReadModelGauges("postgresql://unused").describe()]
    return {f"{family.name}{suffix}" for family in families
            for suffix in SAMPLE_SUFFIXES.get(family.type, ("",))}  # fmt: skip


def test_the_dashboard_plots_something_from_every_area() -> None:
    plotted = plotted_metrics()
    for area in ("commands", "command_outcome", "kafka_consumer_lag", "projection_lag", "bridge",
                 "dynamodb", "dead_letters", "parked", "zone_utilization", "stock_movements",
                 "reservations", "graphql", "cache", "notifications"):  # fmt: skip
        assert any(area in name for name in plotted), f"nothing plotted about {area}"


def test_every_metric_the_dashboard_plots_is_defined_by_the_code() -> None:
    missing = sorted(plotted_metrics() - registered_series())
    assert not missing, "the dashboard plots metrics no */metrics.py module defines:\n  " + (
        "\n  ".join(missing)
    )
