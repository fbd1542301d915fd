"""The house's layering (CONVENTIONS.md, «The house»): core <- programs <- participants <- experts, activities <-
ratings, projects <- reports. An app imports only the apps below it; experts and activities are siblings and import
neither each other; core, at the bottom, imports no app at all. Imports are read with ast, so one inside a
function counts as much as one at the top of a module."""

import ast
import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Each app with the project apps it may import.
ALLOWED = {
    "core": set(),
    "programs": {"core"},
    "participants": {"core", "programs"},
    "experts": {"core", "programs", "participants"},
    "activities": {"core", "programs", "participants"},
    "ratings": {"core", "programs", "participants", "experts", "activities"},
    "projects": {"core", "programs", "participants", "experts", "activities"},
    "reports": {"core", "programs", "participants", "experts", "activities", "ratings", "projects"},
}
# Not apps, but importing them would reach the apps through the back door.
NOT_BELOW_CORE = {"config", "tests", "bench", "scripts"}


def imported_modules(path: Path) -> set[str]:
    """The absolute module names a file imports (relative imports stay inside its own app)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def wrong_imports(app: str) -> list[str]:
    project = set(ALLOWED) | NOT_BELOW_CORE
    wrong = []
    for path in sorted((BASE_DIR / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for module in sorted(imported_modules(path)):
            top = module.split(".")[0]
            if top in project and top != app and top not in ALLOWED[app]:
                # config.celery is the Celery app object, not an app: core's task outbox publishes through it.
                if module == "config.celery":
                    continue
                wrong.append(f"{path.relative_to(BASE_DIR)}: {module}")
    return wrong


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_apps_below_it(app):
    assert wrong_imports(app) == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    # A core module importing participants is caught: the test above can fail.
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("def f():\n    from participants.models import Person\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["BASE_DIR"]), "BASE_DIR", tmp_path)
    assert wrong_imports("core") == ["core/bad.py: participants.models"]


# Core knows no app even by name: not a model's label («programs.Season») in code, comments or templates either.
PORTAL_APPS = ("programs", "participants", "experts", "activities", "ratings", "reports", "demo")


def portal_model_labels() -> set[str]:
    from django.apps import apps

    return {model._meta.label_lower for model in apps.get_models() if model._meta.app_label in PORTAL_APPS}


def labels_named_in_core(labels: set[str]) -> list[str]:
    pattern = re.compile(r"\b(" + "|".join(re.escape(label) for label in sorted(labels)) + r")\b", re.IGNORECASE)
    found = []
    for path in sorted((BASE_DIR / "core").rglob("*")):
        if not path.is_file() or "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found += [f"{path.relative_to(BASE_DIR)}:{number}: {m.group(0)}" for m in pattern.finditer(line)]
    return found


def test_core_names_no_model_of_an_app():
    labels = portal_model_labels()
    assert "programs.season" in labels and "ratings.review" in labels
    assert labels_named_in_core(labels) == []


def test_the_check_sees_a_label_in_core(tmp_path, monkeypatch):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text('"""Reads ratings.Review rows."""\n')
    monkeypatch.setattr(__import__(__name__, fromlist=["BASE_DIR"]), "BASE_DIR", tmp_path)
    assert labels_named_in_core({"ratings.review"}) == ["core/bad.py:1: ratings.Review"]
