"""The matching package stays pure: no Flask, no database models, no app extensions."""

from __future__ import annotations

import ast
from pathlib import Path

import crunchtime.matching

PACKAGE = Path(crunchtime.matching.__file__).parent
FORBIDDEN = ("flask", "flask_sqlalchemy", "sqlalchemy", "crunchtime.models",
             "crunchtime.extensions", "crunchtime.demo", "crunchtime.services")


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_matching_package_imports_neither_flask_nor_models():
    modules = sorted(PACKAGE.glob("*.py"))
    assert modules
    for path in modules:
        for name in _imported_modules(path):
            assert not any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN), (
                f"{path.name} imports {name}")


def test_matching_package_only_imports_itself_inside_crunchtime():
    for path in PACKAGE.glob("*.py"):
        inside = {n for n in _imported_modules(path) if n.startswith("crunchtime")}
        assert all(n.startswith("crunchtime.matching") for n in inside), path.name
