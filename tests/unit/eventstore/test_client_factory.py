"""The client factory points at the configured endpoint and never needs real keys locally."""

from __future__ import annotations

import pytest

from connectors.dynamodb.client import dynamodb_client
from connectors.settings import ZaikoSettings


def test_a_local_endpoint_gets_dummy_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    settings = ZaikoSettings(dynamodb_endpoint_url="http://127.0.0.1:1", aws_region="eu-west-1")
    client = dynamodb_client(settings)
    assert client.meta.endpoint_url == "http://127.0.0.1:1"
    assert client.meta.region_name == "eu-west-1"
    assert client.meta.config.max_pool_connections == 32
    assert client._request_signer._credentials.access_key == "zaiko-local"
