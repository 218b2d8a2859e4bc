"""Defaults < TOML file < environment, for every deployable's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from compose.settings import StackSettings
from connectors.settings import ZaikoSettings
from streams.settings import WorkerSettings

STANDARD = ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "REDIS_URL", "ZAIKO_CONFIG_FILE")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in STANDARD:
        monkeypatch.delenv(name, raising=False)


def test_defaults_follow_the_public_contract() -> None:
    settings = ZaikoSettings()
    assert settings.kafka_bootstrap_servers == "127.0.0.1:9092"
    assert settings.dynamodb_endpoint_url == "http://127.0.0.1:50503"
    assert settings.effective_database_url == "postgresql://postgres@127.0.0.1:50504/zaiko"
    assert settings.effective_redis_url == "redis://127.0.0.1:50505/0"
    assert settings.topic_partitions == 8


def test_a_toml_file_overrides_defaults_and_its_section_overrides_the_common_part(
    tmp_path: Path,
) -> None:
    (tmp_path / "zaiko.toml").write_text(
        "[zaiko]\ntopic_partitions = 3\nsnapshot_every = 7\n[worker]\nsnapshot_every = 50\n"
    )
    assert ZaikoSettings().topic_partitions == 3
    assert WorkerSettings().snapshot_every == 50
    assert StackSettings().topic_partitions == 3


def test_the_environment_overrides_the_toml_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "other.toml").write_text("[zaiko]\ntopic_partitions = 3\n")
    monkeypatch.setenv("ZAIKO_CONFIG_FILE", str(tmp_path / "other.toml"))
    monkeypatch.setenv("ZAIKO_TOPIC_PARTITIONS", "5")
    assert ZaikoSettings().topic_partitions == 5


def test_standard_variables_need_no_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/x")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092")
    settings = StackSettings()
    assert settings.effective_database_url == "postgresql://u@db:5432/x"
    assert settings.embedded_postgres is False
    assert settings.kafka_address == ("k1", 9092)
