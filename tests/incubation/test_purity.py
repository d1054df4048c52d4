"""The incubation package stays pure: plain data in and out, no Flask, no models."""

from __future__ import annotations

import ast
from pathlib import Path

import crunchtime.incubation

PACKAGE = Path(crunchtime.incubation.__file__).parent
ALLOWED_PREFIXES = ("__future__", "collections", "dataclasses", "math", "random", "typing",
                    "numpy", "scipy", "sklearn", "crunchtime.incubation", "crunchtime.imports",
                    "crunchtime.text")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_incubation_package_imports_only_pure_modules():
    offending = {f"{path.name}: {name}" for path in PACKAGE.glob("*.py")
                 for name in imported_modules(path)
                 if not name.startswith(ALLOWED_PREFIXES)}
    assert offending == set()
