"""What the report tests share: the CLI's environment and reading a report's CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from connectors.reports import ENCODING
from connectors.settings import ZaikoSettings

BOM = b"\xef\xbb\xbf"


def cli_env(
    settings: ZaikoSettings, database_url: str, table_prefix: str | None = None
) -> dict[str, str]:
    """Return the environment that points ``zaiko`` at the test stack and ``database_url``."""
    return {
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "ZAIKO_DYNAMODB_ENDPOINT_URL": settings.dynamodb_endpoint_url or "",
        "ZAIKO_TABLE_PREFIX": table_prefix or settings.table_prefix,
        "DATABASE_URL": database_url,
        "ZAIKO_CONFIG_FILE": str(Path("/nonexistent/zaiko.toml")),
    }


def read_csv(path: Path) -> list[list[str]]:
    """Return a report's CSV rows (header first), checking it starts with the UTF-8 BOM."""
    assert path.read_bytes().startswith(BOM), "the CSV must start with the UTF-8 BOM for Excel"
    with path.open(encoding=ENCODING, newline="") as f:
        return list(csv.reader(f))
