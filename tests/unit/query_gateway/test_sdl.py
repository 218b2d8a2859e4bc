"""The committed SDL is the schema: a change to one without the other fails here."""

from __future__ import annotations

from query_gateway.sdl import SDL_FILE, current_sdl


def test_committed_sdl_matches_the_schema() -> None:
    committed = SDL_FILE.read_text(encoding="utf-8")
    assert committed == current_sdl(), (
        "query_gateway/schema.graphql is out of date: run `python -m query_gateway.sdl`"
    )


def test_schema_has_only_queries() -> None:
    sdl = current_sdl()
    assert "type Query" in sdl
    assert "type Mutation" not in sdl and "type Subscription" not in sdl


def test_every_root_field_accepts_a_consistency_token() -> None:
    from query_gateway.schema import build_schema

    fields = build_schema().graphql_schema.query_type.fields  # type: ignore[union-attr]
    assert fields and all("consistencyToken" in f.args for f in fields.values())
