"""Entry points behind ``zaiko load`` and ``zaiko simulate`` (the typer commands are thin)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from rich.console import Console

from connectors.dynamodb.putitem import raw_put_rate
from connectors.metrics.requests import RequestMeter
from connectors.settings import ZaikoSettings
from simulation.day import DaySpec
from simulation.load import LoadOptions, run_load
from simulation.load_report import print_report
from simulation.model import DEFAULT_WAREHOUSE_CODES, MasterDataSpec
from simulation.report import print_run
from simulation.simulate import SimulateOptions, run_simulation


def master_spec(
    seed: int, products: int, customers: int, id_base: int, warehouses: str | None
) -> MasterDataSpec:
    """Build the master-data spec from CLI options (warehouses: ``TKY,OSK,FUK``)."""
    codes = tuple(warehouses.split(",")) if warehouses else DEFAULT_WAREHOUSE_CODES
    if len(codes) != 3:
        raise ValueError("--warehouses takes three codes, e.g. TKY,OSK,FUK")
    return MasterDataSpec(seed, products, customers, id_base, (codes[0], codes[1], codes[2]))


def load(
    spec: MasterDataSpec,
    bootstrap: str | None,
    database_url: str | None,
    skip_postgres: bool,
    window: int,
    threshold_wait_s: float,
    stall_timeout_s: float = 300.0,
    metrics: Mapping[str, str] | None = None,
) -> int:
    """Run ``zaiko load``; return the exit code (1 when a command got no outcome).

    ``metrics``: the stack's /metrics URLs by process, whose DynamoDB requests it counts.
    """
    settings = ZaikoSettings()
    options = LoadOptions(
        bootstrap=bootstrap or settings.kafka_bootstrap_servers,
        database_url=None if skip_postgres else database_url or settings.effective_database_url,
        window=window,
        stall_timeout_s=stall_timeout_s,
        threshold_wait_s=threshold_wait_s,
    )
    console = Console()
    meter = RequestMeter(metrics or {}, local="load")
    report = run_load(spec, options, console, partial(raw_put_rate, settings), meter)
    print_report(console, spec, report)
    return 1 if report.unanswered else 0


def simulate(
    spec: MasterDataSpec,
    day: DaySpec,
    bootstrap: str | None,
    speed: float,
    stall_s: float,
    metrics: Mapping[str, str] | None = None,
) -> int:
    """Run ``zaiko simulate``; return the exit code (1 when a movement got no outcome).

    ``metrics``: the stack's /metrics URLs by process, whose DynamoDB requests it counts.
    """
    options = SimulateOptions(
        bootstrap=bootstrap or ZaikoSettings().kafka_bootstrap_servers,
        speed=speed,
        stall_timeout_s=stall_s,
    )
    console = Console()
    meter = RequestMeter(metrics or {}, local="simulate")
    run = run_simulation(spec, day, options, console, meter)
    print_run(console, run)
    return 1 if run.unanswered else 0
