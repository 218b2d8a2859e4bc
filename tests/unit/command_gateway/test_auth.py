"""API keys and roles: channel sends commands, operator does all, reader mutates nothing."""

from __future__ import annotations

import logging

import pytest

from command_gateway.auth import ApiKeys, Role
from tests.unit.command_gateway.fakes import codes, gateway, graphql

KEYS = "ch-key:channel,op-key:operator,rd-key:reader"
COMMAND = """mutation { activateWarehouse(input: {warehouseId: "TKY"}) { version } }"""
COMPANY = 'mutation { deleteCompany(companyId: "CMP-0001") { deleted } }'


def test_keys_parse_into_roles_and_a_bad_role_is_refused() -> None:
    keys = ApiKeys.parse(KEYS)
    assert not keys.open
    assert [keys.authenticate(k).role for k in ("ch-key", "op-key", "rd-key")] == [  # type: ignore[union-attr]
        Role.CHANNEL, Role.OPERATOR, Role.READER,
    ]  # fmt: skip
    with pytest.raises(ValueError, match="unknown role"):
        ApiKeys.parse("k:admin")


@pytest.mark.parametrize("key", [None, "wrong"])
def test_without_a_valid_key_nothing_runs(key: str | None) -> None:
    app, bus, _ = gateway(keys=KEYS)
    response = graphql(app.app, COMMAND, key=key)
    assert response.status == 401
    assert codes(response) == ["UNAUTHENTICATED"]
    assert bus.sent == []


def test_a_channel_sends_commands_but_may_not_touch_companies() -> None:
    app, bus, _ = gateway(keys=KEYS)
    assert graphql(app.app, COMMAND, key="ch-key").json()["data"]["activateWarehouse"]
    assert codes(graphql(app.app, COMPANY, key="ch-key")) == ["FORBIDDEN"]
    assert len(bus.sent) == 1


def test_a_reader_may_query_but_not_mutate() -> None:
    app, bus, _ = gateway(keys=KEYS)
    assert graphql(app.app, "{ role }", key="rd-key").json()["data"] == {"role": "reader"}
    assert codes(graphql(app.app, COMMAND, key="rd-key")) == ["FORBIDDEN"]
    assert codes(graphql(app.app, COMPANY, key="rd-key")) == ["FORBIDDEN"]
    assert bus.sent == []


def test_an_operator_may_do_everything() -> None:
    app, bus, _ = gateway(keys=KEYS)
    assert graphql(app.app, COMMAND, key="op-key").json()["data"]["activateWarehouse"]
    assert codes(graphql(app.app, COMPANY, key="op-key")) == ["REJECTED"]  # not found, allowed
    assert len(bus.sent) == 1


def test_without_keys_the_api_is_open_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    app, _, _ = gateway()
    assert graphql(app.app, "{ role }").json()["data"] == {"role": "operator"}
    with caplog.at_level(logging.WARNING):
        ApiKeys.parse(None).warn_if_open()
    assert "OPEN" in caplog.text
