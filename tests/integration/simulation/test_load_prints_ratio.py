"""``zaiko load`` on a stack with its services prints its ratio line and what DynamoDB served.

A private stack with the worker, the bridge, the projector and both gateways; the CLI
runs in this process with the environment a user would set, so it finds the services'
/metrics URLs as ``zaiko stack status`` does and measures the raw PutItem rate itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from compose.cli import app
from compose.settings import StackSettings
from compose.stack import Stack
from schemas.envelope import now_millis
from simulation.cli import master_spec
from simulation.load_plan import plan
from simulation.masterdata import generate
from tests.integration.conftest import free_port_block, stack_settings_for

pytestmark = pytest.mark.integration

PORTS = free_port_block(28200, {"kafka": 92, "dynamodb": 93, "postgres": 94, "redis": 95,
                                "command_api": 96, "query_api": 97})  # fmt: skip
ARGS = ["--products", "40", "--customers", "8", "--id-base", "920000",
        "--warehouses", "RQA,RQB,RQC"]  # fmt: skip
LINE = re.compile(
    r"^load: ([\d,]+) commands in ([\d.]+) s \(([\d,]+)/s\) = ([\d.]+)× raw PutItem "
    r"\(([\d,]+)/s, this run\)$",
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def stack_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackSettings]:
    """Start the stack with its services; the environment points ``zaiko`` commands at it."""
    settings = stack_settings_for(tmp_path_factory.mktemp("ratio") / "state", PORTS)
    stack = Stack(settings)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ZAIKO_WORKER_WEB_PORT", "0")
        env.setenv("ZAIKO_CONFIG_FILE", str(settings.state_dir.parent / "no-zaiko.toml"))
        for name, value in {
            "ZAIKO_STATE_DIR": str(settings.state_dir),
            "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
            "ZAIKO_DYNAMODB_ENDPOINT_URL": settings.dynamodb_endpoint_url or "",
            "ZAIKO_POSTGRES_PORT": str(settings.postgres_port),
            "ZAIKO_REDIS_PORT": str(settings.redis_port),
            "ZAIKO_COMMAND_API_PORT": str(settings.command_api_port),
            "ZAIKO_QUERY_API_PORT": str(settings.query_api_port),
            "ZAIKO_METRICS_BASE_PORT": str(settings.metrics_base_port),
            "ZAIKO_TABLE_PREFIX": settings.table_prefix,
            "ZAIKO_TOPIC_PARTITIONS": str(settings.topic_partitions),
        }.items():
            env.setenv(name, value)
        env.delenv("DATABASE_URL", raising=False)
        env.delenv("REDIS_URL", raising=False)
        try:
            stack.up(with_services=True)
            yield settings
        finally:
            stack.down()


def test_load_prints_its_ratio_to_the_raw_put_rate_measured_in_the_same_run(
    stack_env: StackSettings,
) -> None:
    spec = master_spec(42, 40, 8, 920_000, "RQA,RQB,RQC")
    sent = sum(len(p.envelopes) for p in plan(generate(spec), now_millis()))
    result = CliRunner().invoke(app, ["load", *ARGS, "--stall-timeout", "120",
                                      "--threshold-wait", "1"], env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 0, result.output
    found = LINE.search(result.output)
    assert found is not None, result.output
    commands, seconds, rate, ratio, raw = found.groups()
    assert int(commands.replace(",", "")) == sent
    assert float(seconds) > 0 and float(raw.replace(",", "")) > 0
    assert abs(float(ratio) - float(rate.replace(",", "")) / float(raw.replace(",", ""))) < 0.02
    # the worker's conditional writes are counted from its own /metrics endpoint
    puts = re.search(r"PutItem\s*│\s*worker\s*│\s*([\d,]+)", result.output)
    assert puts is not None and int(puts.group(1).replace(",", "")) > 0, result.output
