"""Write (or check) the committed SDL: ``python -m command_gateway.sdl [--check]``."""

from __future__ import annotations

import sys
from pathlib import Path

from command_gateway.api.schema import sdl

SDL_FILE = Path(__file__).with_name("schema.graphql")


def main(argv: list[str] | None = None) -> int:
    """Regenerate schema.graphql; with --check, exit 1 if it is out of date instead."""
    args = sys.argv[1:] if argv is None else argv
    current = sdl()
    if "--check" in args:
        if not SDL_FILE.exists() or SDL_FILE.read_text(encoding="utf-8") != current:
            print(f"{SDL_FILE} is out of date: run python -m command_gateway.sdl", file=sys.stderr)
            return 1
        return 0
    SDL_FILE.write_text(current, encoding="utf-8")
    print(f"wrote {SDL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
