"""Every management command works in the production image, which installs only the main dependencies of
pyproject.toml (Dockerfile: `pip install .`), never the dev extra (docs/deploy.md, «Команды в образе»).

Two checks, both against the main dependencies and everything they require (importlib.metadata):
- a static scan of every import, lazy ones inside functions included, of each command module of the portal's apps
  and of every portal module it reaches: each outside package must belong to the main dependencies;
- a subprocess in which the dev extra's packages cannot be imported loads every command Django knows (the
  portal's, Django's and the libraries') and builds its parser, as `manage.py help <name>` does, and makes
  seed_demo's names (Faker) as a staging instance does.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
APPS = (*settings.PORTAL_APPS, "demo")
PORTAL_PACKAGES = (*APPS, "config")
# Every virtualenv of Python 3.11 has these, the image's /opt/venv included.
VENV_BASE = {"pip", "setuptools"}


def dev_and_main() -> tuple[list[str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"], project["optional-dependencies"]["dev"]


def closure(requirements: list[str]) -> set[str]:
    """The distributions `pip install` brings for these requirement strings: them and what they require, with
    the extras they ask for, as installed here."""
    found: set[str] = set()
    todo = [Requirement(text) for text in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        try:
            requires = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            pytest.fail(f"{requirement.name} is in pyproject.toml but not installed: run `make install`")
        extras = set(requirement.extras) or {""}
        for text in requires:
            child = Requirement(text)
            if child.marker is None or any(child.marker.evaluate({"extra": extra}) for extra in extras):
                todo.append(child)
    return found


@cache
def main_distributions() -> frozenset[str]:
    main, _dev = dev_and_main()
    return frozenset(closure(main) | VENV_BASE)


@cache
def module_distributions() -> dict[str, set[str]]:
    return {top: {canonicalize_name(d) for d in dists} for top, dists in metadata.packages_distributions().items()}


def outside_module_allowed(top: str) -> bool:
    if top in sys.stdlib_module_names or top == "__future__":
        return True
    return bool(module_distributions().get(top, set()) & main_distributions())


def portal_file(module: str) -> Path | None:
    path = ROOT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(path: Path, module: str) -> set[str]:
    """Every module the file imports, at the top or inside a function; `from a import b` gives a and a.b."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def outside_imports_reached(start: str) -> dict[str, set[str]]:
    """Outside top-level modules reached from a portal module through portal modules: {top: {importers}}."""
    seen: set[str] = set()
    todo = [start]
    outside: dict[str, set[str]] = {}
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = portal_file(module)
        if path is None:
            continue  # `from core import views`: the name is an attribute of core, not a module
        for name in imported_modules(path, module):
            top = name.partition(".")[0]
            if top in PORTAL_PACKAGES:
                todo.append(name)
            elif portal_file(name) is None:
                outside.setdefault(top, set()).add(module)
    return outside


def portal_commands() -> list[str]:
    return sorted(
        f"{app}.management.commands.{path.stem}"
        for app in APPS
        for path in (ROOT / app / "management" / "commands").glob("*.py")
        if path.stem != "__init__"
    )


def test_the_portal_has_the_commands_the_operator_runs():
    names = {module.rpartition(".")[2] for module in portal_commands()}
    assert {"load_programs", "seed_demo", "snapshot_kpis", "deliver_notifications", "issue_certificates"} <= names


def test_faker_is_a_main_dependency_and_the_dev_extra_is_not():
    main, dev = dev_and_main()
    assert "faker" in {canonicalize_name(Requirement(text).name) for text in main}
    dev_only = {canonicalize_name(Requirement(text).name) for text in dev} - main_distributions()
    assert {"pytest", "factory-boy", "playwright", "moto"} <= dev_only


@pytest.mark.parametrize("module", portal_commands())
def test_every_import_of_a_command_is_a_main_dependency(module):
    outside = outside_imports_reached(module)
    missing = {top: sorted(importers) for top, importers in outside.items() if not outside_module_allowed(top)}
    assert not missing, f"{module} needs packages outside the main dependencies of pyproject.toml: {missing}"


def test_the_scan_sees_a_lazy_import_of_a_dev_package():
    # Faker is imported inside NamePool.__init__: the scan must see imports inside functions.
    assert "faker" in outside_imports_reached("demo.names")
    assert "demo.names" in outside_imports_reached("demo.management.commands.seed_demo")["faker"]
    assert not outside_module_allowed("factory") and not outside_module_allowed("pytest")


BLOCKED_RUN = r"""
import importlib.abc, json, sys

blocked = set(json.loads(sys.argv[1]))


class DevExtraMissing(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, DevExtraMissing())
for name in list(sys.modules):
    if name.partition(".")[0] in blocked:
        del sys.modules[name]

import django

django.setup()
from django.core.management import get_commands, load_command_class

loaded = []
for name, app in sorted(get_commands().items()):
    command = load_command_class(app, name)
    command.create_parser("manage.py", name).format_help()
    loaded.append(name)

from demo.names import generate_names

names = generate_names(42, 3)
print(json.dumps({"commands": loaded, "names": names}, ensure_ascii=False))
"""


def test_every_command_loads_without_the_dev_extra(tmp_path):
    blocked = sorted(top for top in module_distributions() if not outside_module_allowed(top))
    assert {"faker", "factory", "pytest", "playwright", "moto"} & set(blocked) == {
        "factory",
        "pytest",
        "playwright",
        "moto",
    }
    env = {"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    run = subprocess.run(
        [sys.executable, "-c", BLOCKED_RUN, json.dumps(blocked)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    portal = {module.rpartition(".")[2] for module in portal_commands()}
    assert portal <= set(result["commands"])
    assert {"migrate", "createsuperuser", "collectstatic", "check"} <= set(result["commands"])
    assert len(result["names"]) == 3 and all(len(name) == 3 for name in result["names"])


def test_the_blocker_would_catch_a_command_that_needs_the_dev_extra(tmp_path):
    # The same subprocess fails when a command's module needs a blocked package: here factory_boy.
    probe = BLOCKED_RUN.replace("import django\n", "import factory\nimport django\n", 1)
    run = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(["factory"])],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0 and "No module named 'factory'" in run.stderr


def test_docs_name_every_command_an_operator_may_run_in_the_image():
    text = (ROOT / "docs" / "deploy.md").read_text()
    section = text[text.index("#### Команды в образе") :].split("\n#### ", 1)[0]
    for module in portal_commands():
        assert f"`{module.rpartition('.')[2]}" in section, module
    for name in ("migrate", "createsuperuser", "load_programs", "seed_demo"):
        assert f"`{name}" in section
