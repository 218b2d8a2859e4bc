"""Build the low-level DynamoDB client every Zaiko adapter shares."""

from __future__ import annotations

import os
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from connectors.dynamodb.metrics import instrument
from connectors.dynamodb.wire import WireClient
from connectors.settings import ZaikoSettings

CLIENT_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=32)
# Whole-table scans (audit, reindex, replay): a Scan page may take minutes on an emulator
# that sorts the table per page and serves one request at a time (8 segments queue up):
# measured, 140,000 journal items timed out at botocore's 60 s. Waiting is right there.
SCAN_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=64,
                     read_timeout=900)  # fmt: skip
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
    client = _session(settings).client(service, **_client_kwargs(settings, config or CLIENT_CONFIG))
    return instrument(client)  # every call counted: zaiko_dynamodb_requests_total


def command_path_client(settings: ZaikoSettings) -> Any:
    """Return the DynamoDB client for the command path: ``WireClient`` where it can be.

    It is boto3's client when ``dynamodb_wire_client`` is off, when a proxy applies to
    the endpoint (the wire client does not speak to proxies), or when the session finds
    no credentials. The wire client makes as many attempts as boto3's would.
    """
    session = _session(settings)
    client = instrument(session.client("dynamodb", **_client_kwargs(settings, CLIENT_CONFIG)))
    parts = urlsplit(client.meta.endpoint_url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    proxied = bool(proxy) and not urllib.request.proxy_bypass(parts.hostname or "")
    credentials = session.get_credentials()
    if not settings.dynamodb_wire_client or proxied or credentials is None:
        return client  # boto3 then says what is missing (NoCredentialsError) on each call
    attempts = client.meta.config.retries.get("total_max_attempts", 4)
    return WireClient(client, credentials, max_attempts=int(attempts),
                      timeout_s=float(CLIENT_CONFIG.read_timeout),
                      max_connections=settings.dynamodb_max_connections)  # fmt: skip


def _session(settings: ZaikoSettings) -> boto3.session.Session:
    """A session on the standard credential chain, or on dummy keys for a local endpoint."""
    if settings.dynamodb_endpoint_url and not any(os.environ.get(n) for n in _CREDENTIAL_VARS):
        return boto3.session.Session(
            aws_access_key_id="zaiko-local", aws_secret_access_key="zaiko-local"
        )
    return boto3.session.Session()


def _client_kwargs(settings: ZaikoSettings, config: Config) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"region_name": settings.aws_region, "config": config}
    if settings.dynamodb_endpoint_url:
        kwargs["endpoint_url"] = settings.dynamodb_endpoint_url
    return kwargs
