"""Entry points behind ``zaiko load`` and ``zaiko simulate`` (the typer commands are thin)."""

from __future__ import annotations

from rich.console import Console

from connectors.settings import ZaikoSettings
from simulation.day import DaySpec
from simulation.load import LoadOptions, print_report, run_load
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
) -> int:
    """Run ``zaiko load``; return the exit code (1 when a command got no outcome)."""
    settings = ZaikoSettings()
    options = LoadOptions(
        bootstrap=bootstrap or settings.kafka_bootstrap_servers,
        database_url=None if skip_postgres else database_url or settings.effective_database_url,
        window=window,
        stall_timeout_s=stall_timeout_s,
        threshold_wait_s=threshold_wait_s,
    )
    console = Console()
    report = run_load(spec, options, console)
    print_report(console, spec, report)
    return 1 if report.unanswered else 0


def simulate(
    spec: MasterDataSpec, day: DaySpec, bootstrap: str | None, speed: float, stall_s: float
) -> int:
    """Run ``zaiko simulate``; return the exit code (1 when a movement got no outcome)."""
    options = SimulateOptions(
        bootstrap=bootstrap or ZaikoSettings().kafka_bootstrap_servers,
        speed=speed,
        stall_timeout_s=stall_s,
    )
    console = Console()
    run = run_simulation(spec, day, options, console)
    print_run(console, run)
    return 1 if run.unanswered else 0
