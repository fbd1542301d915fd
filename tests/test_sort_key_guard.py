"""Organisations keep their natural sort key through every write (programs.Organisation.sort_key).

save() fills the key, but bulk_create(), bulk_update() and queryset.update() skip save(). This test reads the
source (ast) of every non-test module, finds each set-based write of organisations that can create one or change
its name, and requires the function around it to fill the key with programs.models.organisation_sort_key.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SCANNED = (*settings.PORTAL_APPS, "demo", "config")
NAME_FIELDS = {"short_name", "name"}
FILLER = "organisation_sort_key"


def _mentions_organisation(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "Organisation" for n in ast.walk(node))


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _writes_names(call: ast.Call) -> bool:
    """Does this call create organisations or change their names, set-based?"""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "bulk" and call.args and isinstance(call.args[0], ast.Name) and call.args[0].id == "Organisation":
        return True  # the demo generator's bulk(model, objects) is a bulk_create
    if not _mentions_organisation(func.value):
        return False
    if func.attr == "bulk_create":
        return True
    if func.attr == "bulk_update":
        return bool(NAME_FIELDS & _strings(call))
    if func.attr == "update":
        return bool(NAME_FIELDS & {k.arg for k in call.keywords})
    return False


def organisation_name_writes() -> list[tuple[str, str, bool]]:
    """(module, function, fills the key) for every set-based write of organisation names."""
    found = []
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                calls = [n for n in ast.walk(function) if isinstance(n, ast.Call) and _writes_names(n)]
                if not calls:
                    continue
                fills = any(isinstance(n, ast.Name) and n.id == FILLER for n in ast.walk(function))
                found.append((str(path.relative_to(ROOT)), function.name, fills))
    return found


def test_every_bulk_write_of_organisation_names_fills_the_sort_key():
    writes = organisation_name_writes()
    assert ("demo/people.py", "create_organisations", True) in writes  # the scan reaches the demo's bulk_create
    assert [w for w in writes if not w[2]] == []


def test_the_scan_finds_a_write_that_forgets_the_key(tmp_path):
    source = (
        "def rename(ids):\n"
        "    Organisation.objects.filter(pk__in=ids).update(short_name='Школа № 2')\n"
        "def create(rows):\n"
        "    Organisation.objects.bulk_create(rows)\n"
        "def mark(ids):\n"
        "    Organisation.objects.filter(pk__in=ids).update(is_active=False)\n"
    )
    tree = ast.parse(source)
    flagged = [
        f.name
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef) and any(isinstance(n, ast.Call) and _writes_names(n) for n in ast.walk(f))
    ]
    assert flagged == ["rename", "create"]
