"""Print or write the Query API's SDL: ``python -m query_gateway.sdl [--check]``.

The committed ``query_gateway/schema.graphql`` is the published contract; a test fails
when the schema and the file differ, so a schema change arrives with its SDL.
"""

from __future__ import annotations

import sys
from pathlib import Path

from query_gateway.schema import build_schema

SDL_FILE = Path(__file__).with_name("schema.graphql")


def current_sdl() -> str:
    """Return the SDL of the schema as built now."""
    return str(build_schema()).rstrip() + "\n"


def main(argv: list[str]) -> int:
    """Rewrite the SDL file, or with ``--check`` exit 1 when it is out of date."""
    sdl = current_sdl()
    if "--check" in argv:
        same = SDL_FILE.is_file() and SDL_FILE.read_text(encoding="utf-8") == sdl
        print("schema.graphql is up to date" if same else "schema.graphql is out of date")
        return 0 if same else 1
    SDL_FILE.write_text(sdl, encoding="utf-8")
    print(f"wrote {SDL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
