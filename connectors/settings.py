"""Connection settings shared by every deployable (Kafka, DynamoDB, Postgres, Redis).

Layering, lowest to highest: defaults < TOML file (``ZAIKO_CONFIG_FILE``, default
``zaiko.toml`` in the working directory when present) < environment variables.
The three industry-standard variables (``KAFKA_BOOTSTRAP_SERVERS``, ``DATABASE_URL``,
``REDIS_URL``) are read without a prefix; everything else is ``ZAIKO_*``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from pydantic import AliasChoices, Field
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_CONFIG_FILE = "zaiko.toml"


def _config_file() -> Path | None:
    path = Path(os.environ.get("ZAIKO_CONFIG_FILE", DEFAULT_CONFIG_FILE))
    return path if path.is_file() else None


def _standard(name: str) -> Any:
    return AliasChoices(name, f"ZAIKO_{name}")


class ZaikoSettings(BaseSettings):
    """Base for every deployable's settings: connection endpoints and naming."""

    model_config = SettingsConfigDict(env_prefix="ZAIKO_", extra="ignore", populate_by_name=True)
    toml_section: ClassVar[str | None] = None

    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", validation_alias=_standard("KAFKA_BOOTSTRAP_SERVERS")
    )
    database_url: str | None = Field(None, validation_alias=_standard("DATABASE_URL"))
    redis_url: str | None = Field(None, validation_alias=_standard("REDIS_URL"))
    dynamodb_endpoint_url: str | None = "http://127.0.0.1:50503"
    aws_region: str = Field("ap-northeast-1", validation_alias=_standard("AWS_REGION"))
    # the command path's DynamoDB calls skip boto3 (connectors/dynamodb/wire.py)
    dynamodb_wire_client: bool = True
    dynamodb_max_connections: int = Field(16, ge=1)  # the wire client's, at once
    table_prefix: str = "zaiko-"
    topic_partitions: int = Field(8, ge=1, le=256)
    postgres_port: int = 50504
    redis_port: int = 50505
    postgres_db: str = "zaiko"
    log_level: str = "INFO"
    # this process's Prometheus endpoint (connectors/metrics); 0 = off
    metrics_port: int = Field(0, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    log_format: str = "json"  # or "text", for people (connectors/logs)
    # per-logger levels over log_level, e.g. "streams.commands=DEBUG,aiokafka=WARNING"
    log_levels: str = ""
    # this instance's name on its log lines (the stack sets worker, worker-2, …)
    instance_name: str = ""

    @property
    def effective_database_url(self) -> str:
        """Return DATABASE_URL, or the embedded server's URL when it is unset."""
        if self.database_url:
            return self.database_url
        return f"postgresql://postgres@127.0.0.1:{self.postgres_port}/{self.postgres_db}"

    @property
    def effective_redis_url(self) -> str:
        """Return REDIS_URL, or the embedded server's URL when it is unset."""
        return self.redis_url or f"redis://127.0.0.1:{self.redis_port}/0"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _config_file()
        if path is not None:
            sources.append(_SectionedToml(settings_cls, path))
        return tuple(sources)

    @classmethod
    def env_names(cls) -> set[str]:
        """Return every environment variable name this settings class reads."""
        prefix = cls.model_config.get("env_prefix", "")
        names: set[str] = set()
        for name, info in cls.model_fields.items():
            names.update(_aliases(info) or {f"{prefix}{name}".upper()})
        return names


def _aliases(info: FieldInfo) -> set[str]:
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return {str(choice).upper() for choice in alias.choices}
    if isinstance(alias, str):
        return {alias.upper()}
    return set()


class _SectionedToml(TomlConfigSettingsSource):
    """Read ``[zaiko]`` plus the deployable's own section (e.g. ``[worker]``)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls, toml_file=path)
        data: dict[str, Any] = dict(self.toml_data.get("zaiko", {}))
        section = getattr(settings_cls, "toml_section", None)
        if section:
            data.update(self.toml_data.get(section, {}))
        self.toml_data = data
        self.init_kwargs = data
