"""The panels hook: features register their city, step and consultation panels when their
blueprints are registered; the city feature knows none of them, and no module imports inside a
function to dodge an import circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask

from app.cities.panels import Panel, panel_hooks, register_panel

APP = Path(__file__).resolve().parents[2] / "app"

# The features that hang panels on the city's pages: app/cities must not import them.
PANEL_FEATURES = {
    "audit",
    "consultations",
    "expenditures",
    "manifesto",
    "meetings",
    "observatory",
    "operators",
    "practices",
    "projects",
    "proposals",
    "questionnaires",
    "results",
    "review",
    "training",
    "voting",
}
# Of those, the city pages show two themselves: the city's consultations (listed, not a panel)
# and the city's history (read through the audit log, the lowest feature of all).
SHOWN_BY_CITIES = {"consultations": {"services", "models"}, "audit": {"services"}}

# Function-local imports of app modules that remain, each for a reason that is not an import
# circle: the factory imports each feature when an app is built (importing `app.x` for a model
# or a pure rule must not import every feature), and the demo seed's command imports the
# feature seeds it runs only when it runs (a CLI imports only what it runs).
ALLOWED_LOCAL_IMPORTS = {
    ("app/__init__.py", "create_app"),
    ("app/__init__.py", "register_extensions"),
    ("app/__init__.py", "register_blueprints"),
    ("app/__init__.py", "register_template_helpers"),
    ("app/demo/commands.py", "_feature_seeds"),
}


def test_each_page_gets_its_panels_in_the_order_of_the_page(app):
    with app.app_context():
        names = {
            kind: [hook.name for hook in panel_hooks(kind)] for kind in app.extensions["lc_panels"]
        }
    assert names == {
        "city": [
            "manifesto",
            "expenditures",
            "audit",
            "consultations",
            "meetings",
            "projects",
            "observatory",
            "opendata",
        ],
        "step": [
            "results",
            "consultations",
            "manifesto",
            "meetings",
            "expenditures",
            "training",
            "practices",
            "operators",
        ],
        "consultation": [
            "proposals",
            "questionnaire",
            "review",
            "voting",
            "meetings",
            "results",
            "projects",
        ],
    }


def test_the_hooks_live_on_each_app():
    first, second = Flask("first"), Flask("second")

    def make(city):
        return Panel("x.html")

    register_panel(first, "city", "one", make, position=10)
    assert second.extensions == {}
    assert [hook.name for hook in first.extensions["lc_panels"]["city"]] == ["one"]


@pytest.mark.parametrize(
    ("kind", "name", "position"),
    [("town", "new", 99), ("city", "one", 99), ("city", "new", 10)],
)
def test_an_unknown_kind_or_a_clash_is_refused(kind, name, position):
    app = Flask("panels")
    register_panel(app, "city", "one", lambda city: None, position=10)
    with pytest.raises(ValueError, match=r"unknown panel kind|clashes"):
        register_panel(app, kind, name, lambda city: None, position=position)


def _imports(path: Path) -> list[tuple[str, ast.AST, str | None]]:
    """(imported module, node, enclosing function or None) for every import of an app module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def walk(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                modules = [child.module] + [f"{child.module}.{a.name}" for a in child.names]
                found.extend((m, child, function) for m in modules if m.split(".")[0] == "app")
            elif isinstance(child, ast.Import):
                names = [a.name for a in child.names if a.name.startswith("app")]
                found.extend((name, child, function) for name in names)
            walk(child, inner)

    walk(tree, None)
    return found


def test_the_city_feature_imports_none_of_the_features_that_hang_panels_on_it():
    wrong = []
    for path in sorted((APP / "cities").rglob("*.py")):
        for module, node, _function in _imports(path):
            parts = module.split(".")
            if len(parts) < 2 or parts[1] not in PANEL_FEATURES:
                continue
            shown = SHOWN_BY_CITIES.get(parts[1], set())
            if len(parts) >= 3 and parts[2] in shown and parts[2] != "panels":
                continue
            if len(parts) == 2 and isinstance(node, ast.ImportFrom):
                continue  # `from app.x import y`: judged by its `app.x.y` entry
            wrong.append(f"{path.relative_to(APP.parent)}:{node.lineno} {module}")
    assert wrong == []


def test_no_function_imports_an_app_module_to_dodge_a_circle():
    found = set()
    for path in sorted(APP.rglob("*.py")):
        relative = str(path.relative_to(APP.parent))
        for _module, _node, function in _imports(path):
            if function is not None:
                found.add((relative, function))
    assert found - ALLOWED_LOCAL_IMPORTS == set()
    # The allowed list stays honest: no entry outlives its import.
    assert ALLOWED_LOCAL_IMPORTS - found == set()
