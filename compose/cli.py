"""The ``zaiko`` command line: run and inspect the stack and its services."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from compose.components.base import StartError
from compose.processes import PortBusyError
from compose.projection_status import add_projection_row, print_parked
from compose.projector_cli import projector_app
from compose.reports import report_app
from compose.settings import StackSettings
from compose.stack import Stack
from compose.supervision.report import print_last_errors, supervision_cell
from connectors.read_model_epoch import EpochMismatchError

app = typer.Typer(help="Zaiko (在庫): event-sourced inventory pipeline.", no_args_is_help=True)
stack_app = typer.Typer(help="The embedded infrastructure stack.", no_args_is_help=True)
app.add_typer(stack_app, name="stack")
console = Console(stderr=True)


# The data-set options ``load`` and ``simulate`` share: simulate must be given what load was.
Seed = Annotated[int, typer.Option("--seed", help="Seed of the generated master data.")]
Products = Annotated[int, typer.Option("--products", min=1, help="Number of products.")]
Customers = Annotated[int, typer.Option("--customers", min=4, help="Number of customers.")]
IdBase = Annotated[int, typer.Option("--id-base", min=0, help="Offset of every numeric id.")]
Warehouses = Annotated[str | None, typer.Option("--warehouses", help="Codes, e.g. TKY,OSK,FUK.")]
Bootstrap = Annotated[str | None, typer.Option("--bootstrap", help="Kafka (default: settings).")]
StallTimeout = Annotated[
    float,
    typer.Option("--stall-timeout", min=1, help="Give up after this long without an outcome."),
]


def _stack() -> Stack:
    return Stack(StackSettings())


def _refuse_beside_stack_workers(hint: str) -> None:
    """Exit 2 if the stack's own workers run: they would answer the bench's commands too."""
    running = sorted(n for n in _stack().metrics_endpoints() if n.startswith("worker"))
    if running:
        console.print(f"[bold red]the stack's {', '.join(running)} running[/]: it would answer "
                      f"the bench's commands too (and a new bench group replays the command "
                      f"topics from the start). {hint}")  # fmt: skip
        raise typer.Exit(2)


@contextmanager
def _friendly_errors() -> Iterator[None]:
    try:
        yield
    except (PortBusyError, StartError, EpochMismatchError) as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from exc


def _instances(flag: str) -> Any:
    return typer.Option(flag, min=0, help="Run N instances (implies --services; default: as "
                        "many as have pid files, at least 1).")  # fmt: skip


@stack_app.command("up")
def stack_up(
    reset: bool = typer.Option(False, "--reset", help="Wipe persisted data first."),
    services: bool = typer.Option(
        False,
        "--services",
        "--with-services",
        help="Also start the gateways, the workers, the bridges and the projectors.",
    ),
    workers: Annotated[int | None, _instances("--workers")] = None,
    projectors: Annotated[int | None, _instances("--projectors")] = None,
    bridges: Annotated[int | None, _instances("--bridges")] = None,
) -> None:
    """Start Kafka, DynamoDB, PostgreSQL and Redis; create topics, tables and schema."""
    counts = {"worker": workers, "projector": projectors, "bridge": bridges}
    services = services or any(n is not None for n in counts.values())
    stack = Stack(StackSettings(), counts)
    with _friendly_errors(), console.status("starting the stack") as spinner:
        stack.up(progress=lambda step: spinner.update(step), reset=reset, with_services=services,
                 supervised=True)  # fmt: skip
    _print_status(stack.status_json())


@stack_app.command("down")
def stack_down(
    reset: bool = typer.Option(False, "--reset", help="Also wipe persisted data."),
) -> None:
    """Stop the processes the stack started (and only those)."""
    stack = _stack()
    with console.status("stopping the stack") as spinner:
        stack.down(progress=lambda step: spinner.update(step), reset=reset)
    console.print("stack stopped" + (" and wiped" if reset else ""))


@stack_app.command("status")
def stack_status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show each component, its URL and health; exit 1 when one is unhealthy."""
    report = _stack().status_json()
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_status(report)
    if not report["healthy"]:
        raise typer.Exit(1)


@app.command("demo")
def demo(
    seed: Seed = 42,
    products: Products = 8000,
    day: int = typer.Option(1, "--day", min=1, help="Business day (the same day replays)."),
    movements: int = typer.Option(2000, "--movements", min=10, help="Movements in the day."),
    speed: float = typer.Option(0.0, "--speed", min=0, help="Time compression; 0 = no waits."),
    audit: bool = typer.Option(False, "--audit", help="Also audit against the event store."),
) -> None:
    """The main job: stack + services, D商事's data, one business day, a summary."""
    from compose.demo import DemoOptions, run_demo
    from simulation.model import MasterDataSpec

    options = DemoOptions(MasterDataSpec(seed, products), day=day, movements=movements,
                          speed=speed, audit=audit)  # fmt: skip
    with _friendly_errors():
        code = run_demo(Console(), StackSettings(), options)
    raise typer.Exit(code)


@app.command("supervise", hidden=True)
def supervise() -> None:
    """Keep the services of ``stack up --services`` running (started by it, stopped by down)."""
    from compose.supervision.supervisor import run_supervisor

    run_supervisor()


@app.command("migrate")
def migrate() -> None:
    """Apply pending SQL migrations to the read-model database."""
    from compose.migrate import apply_migrations

    applied = apply_migrations(StackSettings().effective_database_url)
    console.print(f"applied {len(applied)} migration(s): {', '.join(applied) or '-'}")


@app.command("worker")
def worker() -> None:
    """Run the Faust command worker in the foreground (until SIGTERM/SIGINT)."""
    from streams.main import run_worker

    run_worker()


@app.command("bridge")
def bridge(
    republish: bool = typer.Option(
        False, "--republish", help="Re-publish the whole journal to the event topics, then exit."
    ),
) -> None:
    """Carry the journal's DynamoDB Stream to the Kafka event topics (until SIGTERM/SIGINT)."""
    from connectors.bridge.cli import run_bridge, run_republish

    if republish:
        run_republish()
    else:
        run_bridge()


bench_app = typer.Typer(help="Benchmarks against the running stack.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


BENCH_WORKLOADS = [2000, 64]  # spread, then hot aggregates (bench/commands.py says why)


@bench_app.command("commands")
def bench_commands(
    commands: int = typer.Option(2000, "--commands", min=10,
                                 help="Commands per phase (the paced one: at least 1,000)."),
    inventories: Annotated[list[int] | None, typer.Option(
        "--inventories", min=1,
        help="Aggregates a workload spreads over; repeat for several (default 2000, then 64).",
    )] = None,
    bootstrap: Bootstrap = None,
    endpoint: str | None = typer.Option(None, "--endpoint", help="DynamoDB (default: settings)."),
    own_worker: bool = typer.Option(True, "--own-worker/--no-own-worker",
                                    help="Start a worker with a unique app id for the run."),
    prefill: int = typer.Option(0, "--prefill", min=0, help=(
        "Measure fresh, then write this many journal entries and outcomes (D商事: 50000), "
        "then measure again; print both side by side.")),
    paced_share: float = typer.Option(0.5, "--paced-share", min=0.01, max=2.0, help=(
        "The latency run's rate as a share of the raw PutItem rate (at least 1,000 commands).")),
) -> None:  # fmt: skip
    """Commands/s end to end vs raw conditional PutItem/s; p50/p99/p999 at 0.5x raw PutItem/s."""
    from bench.commands import run
    from bench.report import print_figures
    from streams.settings import WorkerSettings

    overrides: dict[str, Any] = {
        "kafka_bootstrap_servers": bootstrap,
        "dynamodb_endpoint_url": endpoint,
    }
    chosen = {k: v for k, v in overrides.items() if v is not None}
    settings = WorkerSettings(**chosen)  # constructor keeps env/TOML layering for the rest
    if own_worker:
        _refuse_beside_stack_workers("Stop them (`zaiko stack up --reset` without --services) "
                                     "or measure them: --no-own-worker.")  # fmt: skip
    endpoints = _stack().metrics_endpoints()
    if prefill:
        from bench.size import run as run_sizes
        from bench.size_report import print_sizes

        workloads = inventories or BENCH_WORKLOADS
        print_sizes(run_sizes(settings, commands, workloads, own_worker, prefill, endpoints,
                              paced_share), commands)  # fmt: skip
        return
    for figures in run(settings, commands, inventories or BENCH_WORKLOADS, own_worker, endpoints,
                       paced_share):  # fmt: skip
        print_figures(figures, commands)


@bench_app.command("workers")
def bench_workers(
    commands: int = typer.Option(2000, "--commands", min=10, help="Receipts per flood."),
    inventories: int = typer.Option(2000, "--inventories", min=1,
                                    help="Inventories the receipts spread over."),
) -> None:  # fmt: skip
    """One worker, then two in one group: partitions each holds, answers, commands/s.

    Runs beside the infrastructure only (`zaiko stack up` without --services), best fresh.
    """
    from bench.workers import run
    from bench.workers_report import print_workers
    from streams.settings import WorkerSettings

    _refuse_beside_stack_workers("Run it on `zaiko stack up --reset` (no --services).")
    print_workers(run(WorkerSettings(), commands, inventories))


@bench_app.command("recovery")
def bench_recovery(
    warmup: float = typer.Option(20.0, "--warmup", min=1, help="Stream seconds before the kill."),
    after: float = typer.Option(300.0, "--after", min=10,
                                help="Seconds after recovery whose latency is measured."),
    products: Products = 8000,
    state_table: bool | None = typer.Option(
        None, "--state-table/--no-state-table",
        help="Restart the worker with ZAIKO_STATE_TABLE on/off first (default: as it runs)."),
    min_items: int = typer.Option(45_000, "--min-items", min=0,
                                  help="Journal items to reach (receipts) before measuring."),
    share: float = typer.Option(0.25, "--share", min=0.01, max=1.0,
                                help="Sending rate as a share of the raw PutItem rate."),
    spread: int = typer.Option(2000, "--inventories", min=1,
                               help="D商事 inventories the stream spreads over."),
) -> None:  # fmt: skip
    """Kill -9 the stack's worker in a stream at 0.25x raw PutItem/s; time the recovery, p50/p99."""
    from bench.recovery import run
    from bench.recovery_report import print_recovery

    figures = run(StackSettings(), warmup, after, products, state_table, min_items, share,
                  spread)  # fmt: skip
    print_recovery(figures, after)


@bench_app.command("sweep")
def bench_sweep(
    journal: int = typer.Option(45_000, "--journal", min=0, help="Journal items to fill first."),
    open_count: int = typer.Option(5, "--open", min=0, help="Transfers left open per sweep."),
    runs: int = typer.Option(3, "--runs", min=1, help="Sweeps with transfers open."),
    rate: float = typer.Option(10.0, "--rate", min=1, help="Commands/s sent meanwhile."),
    legacy_pages: int = typer.Option(10, "--legacy-pages", min=0,
                                     help="Pages of the old journal sweep to time."),
    with_reindex: bool = typer.Option(True, "--reindex/--no-reindex",
                                      help="Also time one `zaiko transfers reindex` pass."),
    endpoint: str | None = typer.Option(None, "--endpoint", help="DynamoDB (default: settings)."),
) -> None:  # fmt: skip
    """The transfer sweep at D商事's journal size, and command latency while it runs."""
    from bench.sweep import run
    from bench.sweep_report import print_figures
    from connectors.settings import ZaikoSettings

    chosen: dict[str, Any] = {"dynamodb_endpoint_url": endpoint} if endpoint else {}
    settings = ZaikoSettings(**chosen)  # constructor keeps env/TOML layering for the rest
    figures = run(settings, journal, open_count, runs, rate, legacy_pages, with_reindex)
    print_figures(figures, open_count)


app.add_typer(projector_app, name="projector")


alerts_app = typer.Typer(
    help="Low-stock alerts (inventory.alerts) and notifications (inventory.notifications).",
    no_args_is_help=True,
)
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("tail")
def alerts_tail(
    from_beginning: bool = typer.Option(False, "--from-beginning", help="Show past alerts too."),
    product: str | None = typer.Option(None, "--product", help="Only this product id."),
    count: int | None = typer.Option(None, "--count", min=1, help="Exit after N alerts."),
    timeout: float | None = typer.Option(None, "--timeout", min=0, help="Exit after S seconds."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
    notifications: bool = typer.Option(
        False, "--notifications", help="Follow inventory.notifications instead (§11.3)."
    ),
    kind: list[str] = typer.Option(  # noqa: B008
        [],
        "--kind",
        help="With --notifications: only these kinds (repeat or comma list; "
        "ALLOCATION_FAILED/引当失敗, PROCESSING_DELAYED, SITE_SILENT, AGGREGATE_PARKED).",
    ),
) -> None:
    """Print low-stock alerts (or, with --notifications, notifications) as they come."""
    from connectors.alerts.tail import tail
    from connectors.notifications.tail import parse_kinds, tail_notifications
    from connectors.settings import ZaikoSettings

    out = Console()
    if kind and not notifications:
        raise typer.BadParameter("--kind needs --notifications", param_hint="--kind")
    if notifications and product is not None:
        raise typer.BadParameter("--product is for low-stock alerts", param_hint="--product")
    try:
        kinds = parse_kinds(kind)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--kind") from None
    servers = ZaikoSettings().kafka_bootstrap_servers
    try:
        if notifications:
            tail_notifications(servers, out, from_beginning=from_beginning, kinds=kinds,
                               count=count, timeout_s=timeout, as_json=as_json)  # fmt: skip
        else:
            tail(servers, out, from_beginning=from_beginning, product_id=product, count=count,
                 timeout_s=timeout, as_json=as_json)  # fmt: skip
    except KeyboardInterrupt:
        console.print("stopped")


@app.command("audit")
def audit(
    match: str | None = typer.Option(None, "--match", help="Only aggregate ids matching REGEX."),
    segments: int = typer.Option(8, "--segments", min=1, max=64, help="Parallel scan segments."),
    limit: int = typer.Option(50, "--limit", min=1, help="Differences to list."),
) -> None:
    """Compare the read model with the event store; exit 1 when they differ."""
    from connectors.audit import print_report, run_audit
    from connectors.settings import ZaikoSettings

    report = run_audit(ZaikoSettings(), match, segments)
    print_report(report, Console(), limit)
    if report.differences:
        raise typer.Exit(1)


app.add_typer(report_app, name="report")


transfers_app = typer.Typer(help="Open transfers (移動) and their index.", no_args_is_help=True)
app.add_typer(transfers_app, name="transfers")


@transfers_app.command("reindex")
def transfers_reindex(
    segments: int = typer.Option(4, "--segments", min=1, max=64, help="Parallel scan segments."),
) -> None:
    """Scan the journal once and index the transfers it holds open (after an upgrade)."""
    from compose.transfers import run_reindex
    from connectors.settings import ZaikoSettings

    run_reindex(ZaikoSettings(), segments, Console())


@transfers_app.command("open")
def transfers_open(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List open transfers: id, source, destination, quantity, age (from the index)."""
    from compose.transfers import list_open, print_open
    from connectors.settings import ZaikoSettings

    print_open(list_open(ZaikoSettings()), as_json)


@app.command("command-gateway")
def command_gateway() -> None:
    """Serve the Command API (GraphQL mutations) on ZAIKO_COMMAND_API_HOST:PORT (50501)."""
    from command_gateway.main import run_gateway

    run_gateway()


@app.command("query-gateway")
def query_gateway(
    host: str | None = typer.Option(None, "--host", help="Listen address (default: settings)."),
    port: int | None = typer.Option(None, "--port", help="Port (default: settings, 50502)."),
) -> None:
    """Serve the Query API (GraphQL queries, GraphiQL on GET) until SIGTERM/SIGINT."""
    from query_gateway.main import run_query_gateway

    run_query_gateway(host, port)


@bench_app.command("query")
def bench_query(
    products: int = typer.Option(50, "--products", min=1, help="Products per page."),
    rounds: int = typer.Option(200, "--rounds", min=10, help="Requests per phase."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed this many products first (0: none)."),
) -> None:
    """p50/p99 of the nested product page via the Query API (cold, cached) vs one SQL statement."""
    from bench.query import print_query_figures, run_query_bench

    print_query_figures(run_query_bench(products, rounds, seed))


@app.command("load")
def load(
    seed: Seed = 42,
    products: Products = 8000,
    customers: Customers = 430,
    id_base: IdBase = 0,
    warehouses: Warehouses = None,
    bootstrap: Bootstrap = None,
    database_url: str | None = typer.Option(None, "--database-url", help="Postgres (settings)."),
    no_postgres: bool = typer.Option(False, "--no-postgres", help="Skip 企業 and thresholds."),
    window: int = typer.Option(2000, "--window", min=1, help="Commands in flight at most."),
    threshold_wait: float = typer.Option(30.0, "--threshold-wait", min=0,
                                         help="Seconds to wait for zones to be projected."),
    stall_timeout: StallTimeout = 300.0,
) -> None:  # fmt: skip
    """Load D商事's master data and initial stock (companies to Postgres, the rest as commands)."""
    from simulation.cli import load as run
    from simulation.cli import master_spec

    spec = master_spec(seed, products, customers, id_base, warehouses)
    code = run(spec, bootstrap, database_url, no_postgres, window, threshold_wait, stall_timeout,
               metrics=_stack().metrics_endpoints())  # fmt: skip
    raise typer.Exit(code)


@app.command("simulate")
def simulate(
    seed: Seed = 42,
    day: int = typer.Option(1, "--day", min=1, help="Business day number (same day = replay)."),
    movements: int = typer.Option(2000, "--movements", min=10, help="Commands in the day."),
    speed: float = typer.Option(0.0, "--speed", min=0, help="Time compression; 0 = no waits."),
    products: Products = 8000,
    customers: Customers = 430,
    id_base: IdBase = 0,
    warehouses: Warehouses = None,
    anomalies: bool = typer.Option(True, "--anomalies/--no-anomalies", help="Add anomalies."),
    bootstrap: Bootstrap = None,
    stall_timeout: StallTimeout = 300.0,
) -> None:
    """Play one business day from D商事's sales channels and report the outcomes."""
    from simulation.cli import master_spec
    from simulation.cli import simulate as run
    from simulation.day import DaySpec

    spec = master_spec(seed, products, customers, id_base, warehouses)
    code = run(spec, DaySpec(seed, day, movements, anomalies), bootstrap, speed, stall_timeout,
               metrics=_stack().metrics_endpoints())  # fmt: skip
    raise typer.Exit(code)


@app.command("replay")
def replay(
    swap: bool = typer.Option(False, "--swap", help="Make the rebuilt model live (atomically)."),
    from_event_store: bool = typer.Option(
        False, "--from-event-store", help="Read the DynamoDB journal instead of the topics."
    ),
    drop_backup: bool = typer.Option(
        False, "--drop-backup", help="With --swap: drop the old model instead of keeping it."
    ),
    batch_events: int = typer.Option(20_000, "--batch-events", min=1, help="Events per batch."),
) -> None:
    """Rebuild the read model in a shadow schema from the events, compare it with the live one.

    Exit code 1 when the models differ and were not swapped; 2 when a swap was refused.
    """
    from connectors.replay import LiveMovedOnError, SwapRefusedError
    from connectors.replay.cli import run_replay
    from streams.projector.settings import ProjectorSettings

    attempts = ProjectorSettings().park_after_attempts  # as many tries as the projector
    try:
        report = run_replay(swap=swap, from_event_store=from_event_store,
                            keep_backup=not drop_backup, batch_events=batch_events,
                            attempts=attempts)  # fmt: skip
    except SwapRefusedError as exc:
        hint = "; stop the projection agents and rerun" if isinstance(exc, LiveMovedOnError) else ""
        console.print(f"[bold red]swap refused:[/] {exc}{hint}")
        raise typer.Exit(2) from exc
    if not report.swapped and report.comparison is not None and not report.comparison.equal:
        raise typer.Exit(1)


@bench_app.command("replay")
def bench_replay(
    events: int = typer.Option(1_000_000, "--events", min=1000, help="Events to project."),
    runs: int = typer.Option(3, "--runs", min=1, help="Runs (the medians are printed)."),
    batch_events: int = typer.Option(20_000, "--batch-events", min=1, help="Events per batch."),
    inventories: int = typer.Option(3000, "--inventories", min=3, help="Inventories to use."),
) -> None:
    """Replay events/s into Postgres against raw COPY of the same rows (same tables)."""
    from bench.replay import print_figures, run
    from connectors.settings import ZaikoSettings

    url = ZaikoSettings().effective_database_url
    print_figures(run(url, events, runs, batch_events, inventories))


def _print_status(report: dict[str, object]) -> None:
    table = Table(title="zaiko stack")
    components = report["components"]
    assert isinstance(components, dict)
    supervised = any("supervision" in c for c in components.values())
    columns = ("component", "url", "health", "pid", "mode", "supervision")
    for column in columns if supervised else columns[:-1]:
        table.add_column(column)
    for name, c in components.items():
        health = (
            f"[green]healthy[/] {c['detail']}" if c["healthy"] else f"[red]down[/] {c['detail']}"
        )
        mode = "embedded" if c["embedded"] else "external"
        row = [name, c["url"], health, str(c["pid"] or "-"), mode]
        table.add_row(*row, *([supervision_cell(c.get("supervision"))] if supervised else []))
    projection = report.get("projection")
    if isinstance(projection, dict):
        add_projection_row(table, projection)
    out = Console()
    out.print(table)
    if isinstance(projection, dict):
        print_parked(out, projection)
    print_last_errors(out, components)
    for name, c in components.items():
        if c.get("metrics"):
            out.print(f"metrics {name}: {c['metrics']}")
    checks = (("journal epoch", "journal_epoch"), ("bridge lease", "bridge_lease"),
              ("supervisor", "supervisor"))  # fmt: skip
    for title, key in checks:
        check = report.get(key)
        if isinstance(check, dict):
            mark = {True: "[green]ok[/]", False: "[red]refused[/]", None: "[yellow]?[/]"}
            out.print(f"{title}: {mark[check['healthy']]} {check['detail']}")


def main() -> None:
    """Run the CLI."""
    import warnings

    # yoyo asks platformdirs for a runtime dir it never uses; headless hosts have none
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    app()
