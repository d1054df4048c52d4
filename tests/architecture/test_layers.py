"""The architecture of DESIGN §2 holds: layers one way (lint-imports), no import cycle,
imports inside functions included, pure packages free of Flask, wiring in create_app only,
and the URLs the areas serve unchanged."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "crunchtime"
AREAS = ("accounts", "editions", "challenges", "exchange", "matching", "teams", "submissions",
         "judging", "live", "announcements", "incubation", "privacy", "demo", "presence",
         "mentoring", "scheduling", "attestations")


def strongly_connected(graph, package: str = "crunchtime") -> list[set[str]]:
    """Tarjan's components of more than one module of `package` (each is an import cycle)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = iter(range(10**9))

    def visit(module: str) -> None:
        index[module] = low[module] = next(counter)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if not imported.startswith(package):
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(component)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(graph.modules):
        if module.startswith(package) and module not in index:
            visit(module)
    return found


def test_no_import_cycle_among_crunchtime_modules_imports_inside_functions_included():
    graph = grimp.build_graph("crunchtime")
    assert strongly_connected(graph) == []


def test_the_cycle_finder_sees_a_cycle_hidden_in_a_function(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic import b\n")
    (package / "b.py").write_text("def late():\n    from cyclic import a\n    return a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclic", cache_dir=None)
    assert strongly_connected(graph, "cyclic") == [{"cyclic.a", "cyclic.b"}]


def test_the_layer_contracts_hold():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"),
                             "--config", str(ROOT / "setup.cfg")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("package", ["matching", "scoring", "incubation", "imports",
                                     "teamwork", "demo"])
def test_a_pure_package_imports_without_flask_or_the_database(package):
    code = (f"import sys, crunchtime.{package}; "
            "loaded = [m for m in ('flask', 'sqlalchemy', 'crunchtime.models', "
            "'crunchtime.services', 'crunchtime.app') if m in sys.modules]; "
            "print(loaded); sys.exit(1 if loaded else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_at_most_four_modules_remain_directly_under_services():
    modules = [path.name for path in (PACKAGE / "services").glob("*.py")
               if path.name != "__init__.py"]
    assert len(modules) <= 4, modules


@pytest.mark.parametrize("area", AREAS)
def test_an_area_has_one_service_package(area):
    assert (PACKAGE / "services" / area / "__init__.py").is_file()


# The demo's few refusals are command-line errors written where they are raised.
@pytest.mark.parametrize("area", [a for a in AREAS if a != "demo"])
def test_an_area_keeps_its_labels_and_messages_in_one_words_module(area):
    assert (PACKAGE / "services" / area / "words.py").is_file()
    assert not list(PACKAGE.glob("*labels*.py")) and not list(PACKAGE.rglob("*_display.py"))


@pytest.mark.parametrize("area", [a for a in AREAS if a != "demo"])
def test_an_area_has_the_same_name_in_views_and_tests(area):
    assert (PACKAGE / "views" / area / "__init__.py").is_file()
    assert (ROOT / "tests" / area).is_dir()


def _calls_in(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        target = node.func if isinstance(node, ast.Call) else node
        if isinstance(target, ast.Attribute) and target.attr in names:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {target.attr}")
    return found


def test_no_blueprint_installs_app_wide_wiring_outside_create_app():
    app_wide = {"record_once", "record", "before_app_request", "after_app_request",
                "before_app_first_request", "app_context_processor", "app_errorhandler"}
    found = [call for path in (PACKAGE / "views").rglob("*.py")
             for call in _calls_in(path, app_wide)]
    assert found == []


def test_every_url_of_the_previous_layout_is_still_served(app):
    expected = (Path(__file__).parent / "url_map.txt").read_text().splitlines()
    served = {f"{rule.rule} {','.join(sorted(rule.methods - {'HEAD', 'OPTIONS'}))}"
              for rule in app.url_map.iter_rules()}
    assert [line for line in expected if line not in served] == []
