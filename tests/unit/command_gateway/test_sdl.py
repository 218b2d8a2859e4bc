"""The committed SDL is the schema: change one without the other and this fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from command_gateway import sdl as sdl_module
from command_gateway.api.schema import sdl


def test_the_committed_schema_graphql_matches_the_schema() -> None:
    committed = sdl_module.SDL_FILE.read_text(encoding="utf-8")
    assert committed == sdl(), "schema changed: run python -m command_gateway.sdl and commit it"


def test_the_check_mode_fails_on_a_stale_file_and_regeneration_fixes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "schema.graphql"
    stale.write_text("type Query { old: String }\n", encoding="utf-8")
    monkeypatch.setattr(sdl_module, "SDL_FILE", stale)
    assert sdl_module.main(["--check"]) == 1
    assert sdl_module.main([]) == 0
    assert sdl_module.main(["--check"]) == 0
    assert "receiveStock(" in stale.read_text(encoding="utf-8")
