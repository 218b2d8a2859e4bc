from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[3] / "domain"


def _imported_top_level_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_domain_imports_only_the_standard_library_and_itself() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    assert len(files) > 10
    allowed = set(sys.stdlib_module_names) | {"domain", "__future__"}
    offenders = {
        f"{path.relative_to(DOMAIN)}: {module}"
        for path in files
        for module in _imported_top_level_modules(path)
        if module not in allowed
    }
    assert offenders == set()


def test_the_import_check_would_catch_a_third_party_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import faust\nfrom pydantic import BaseModel\n", encoding="utf-8")
    assert _imported_top_level_modules(bad) == {"faust", "pydantic"}
