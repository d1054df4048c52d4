"""The scoring package stays a pure algorithm package: no Flask, no models, no database."""

from __future__ import annotations

import ast
from pathlib import Path

import crunchtime.scoring

PACKAGE = Path(crunchtime.scoring.__file__).parent
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "crunchtime.models", "crunchtime.extensions",
             "crunchtime.services", "crunchtime.views")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_scoring_package_imports_neither_flask_nor_models():
    offending = {
        f"{path.name}: {name}"
        for path in PACKAGE.glob("*.py")
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN)
    }
    assert not offending


def test_scoring_package_imports_only_the_standard_library_numpy_and_scipy():
    allowed_roots = {"__future__", "ast", "collections", "dataclasses", "functools", "math",
                     "statistics",
                     "typing",
                     "numpy", "scipy", "crunchtime"}
    roots = {name.split(".")[0] for path in PACKAGE.glob("*.py") for name in imported_modules(path)}
    assert roots <= allowed_roots
    crunchtime_imports = {
        name for path in PACKAGE.glob("*.py") for name in imported_modules(path)
        if name.startswith("crunchtime")
    }
    assert all(name.startswith("crunchtime.scoring") for name in crunchtime_imports)
