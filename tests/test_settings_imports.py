"""config/settings.py imports no code of the portal's own apps: it names them by dotted paths only, so that
reading the settings never loads a model, a translation or an app's module before Django is set up."""

import ast
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS = BASE_DIR / "config" / "settings.py"


def portal_packages() -> set[str]:
    """Every top-level package of the project: a directory beside manage.py holding an __init__.py."""
    return {path.parent.name for path in BASE_DIR.glob("*/__init__.py")} - {"config"}


def imported_modules(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules.append("." * node.level + (node.module or ""))
    return modules


def test_settings_import_no_app_code():
    packages = portal_packages()
    assert {"programs", "participants", "activities", "reports"} <= packages
    offending = [
        module
        for module in imported_modules(SETTINGS.read_text())
        if module.startswith(".") or module.split(".")[0] in packages | {"config"}
    ]
    assert offending == []


def test_the_check_sees_an_app_import():
    source = "import environ\nfrom activities.video_links import embed_origins\nimport programs.models as m\n"
    assert [m for m in imported_modules(source) if m.split(".")[0] in portal_packages()] == [
        "activities.video_links",
        "programs.models",
    ]
