"""Every connection string gets timeouts; an operator's own values win."""

from __future__ import annotations

from psycopg.conninfo import conninfo_to_dict

from connectors.postgres.conninfo import LONG, with_timeouts


def test_a_plain_url_gains_a_connect_timeout_and_statement_timeouts() -> None:
    params = conninfo_to_dict(with_timeouts("postgresql://u@127.0.0.1:5432/db"))
    assert params["connect_timeout"] == "5"
    assert "-c statement_timeout=30000" in params["options"]
    assert "-c lock_timeout=10000" in params["options"]
    assert "-c idle_in_transaction_session_timeout=60000" in params["options"]
    assert (params["host"], params["port"], params["dbname"]) == ("127.0.0.1", "5432", "db")


def test_values_the_url_sets_are_kept_and_extra_options_are_added() -> None:
    url = "postgresql://u@h/db?connect_timeout=9&options=-c%20statement_timeout%3D7"
    params = conninfo_to_dict(with_timeouts(url, LONG, "-c search_path=shadow"))
    assert params["connect_timeout"] == "9"
    assert params["options"].count("statement_timeout") == 1
    assert "-c statement_timeout=7" in params["options"]
    assert "-c search_path=shadow" in params["options"]
    assert f"-c lock_timeout={LONG.lock_ms}" in params["options"]
