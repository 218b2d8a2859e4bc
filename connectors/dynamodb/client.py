"""Build the low-level DynamoDB client every Zaiko adapter shares."""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config

from connectors.settings import ZaikoSettings

CLIENT_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=32)
_CREDENTIAL_VARS = ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE")


def dynamodb_client(
    settings: ZaikoSettings, service: str = "dynamodb", config: Config | None = None
) -> Any:
    """Return a low-level client for ``settings`` (``service`` may be "dynamodbstreams").

    ``config`` replaces the default retries/pool settings (health probes want short
    timeouts and no retries).

    A local endpoint (moto) accepts any key, so dummy credentials are supplied when
    an endpoint is set and the environment provides none; real AWS uses the
    standard credential chain.
    """
    kwargs: dict[str, Any] = {"region_name": settings.aws_region, "config": config or CLIENT_CONFIG}
    if settings.dynamodb_endpoint_url:
        kwargs["endpoint_url"] = settings.dynamodb_endpoint_url
        if not any(os.environ.get(name) for name in _CREDENTIAL_VARS):
            kwargs["aws_access_key_id"] = "zaiko-local"
            kwargs["aws_secret_access_key"] = "zaiko-local"
    return boto3.session.Session().client(service, **kwargs)
