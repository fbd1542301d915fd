"""The demo app sits above every other app: it may import them all, and no app imports it."""

import ast
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APPS = ["config", *(app for app in settings.PORTAL_APPS if app != "core")]


def imports_of(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_no_app_imports_the_demo_app():
    importers = [
        str(path.relative_to(BASE_DIR))
        for app in APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if any(module == "demo" or module.startswith("demo.") for module in imports_of(path))
    ]
    assert importers == []


def test_the_command_lives_in_the_demo_app():
    from django.core.management import get_commands

    assert get_commands()["seed_demo"] == "demo"
