"""Caches that cannot lie: every set-based write of a row a cached page reads tells the cache.

post_save / post_delete do not see queryset.update(), bulk_create() or bulk_update(); a writer of such rows must
bump the data versions (core.cache_versions) itself: by sending programs.signals.rows_changed (or
activities.signals.attendance_changed), or by calling a bump helper. This test reads the source (ast) of every
non-test module and finds each such call on a model that the KPI cache (reports.invalidation.KPI_MODELS) reads
(the cabinet is computed afresh on every request and caches nothing). Each one is either in a function that bumps, or in
ALLOWED below with the reason it needs no bump. queryset.delete() sends post_delete for every row (Django only
deletes without signals for models nobody listens to), which the caches hear: a test below proves they listen.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models.signals import post_delete

from programs.models import OrganisationYearFacts
from programs.services import organisation_low_results_mark
from reports.invalidation import KPI_MODELS
from reports.kpi_cache import kpi_data_version
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parent.parent
SCANNED = (*settings.PORTAL_APPS, "demo", "config")
WRITES = frozenset({"update", "bulk_create", "bulk_update", "delete"})
# Calls that bump: the set-based signal's .send() and the helpers that bump a data version.
BUMP_SIGNALS = frozenset({"rows_changed", "attendance_changed"})
BUMP_HELPERS = frozenset({"kpi_data_changed", "kpi_data_changed_on_commit", "bump_versions"})

# (module path, function, model, method) -> why this write needs no bump.
CLONE = (
    "The relaunch's rows are written in the transaction that saves the new Season, whose post_save makes the KPI "
    "stale (programs.services.season_clone)."
)
DEMO = "demo.generator.seed_demo bumps the KPI version once the generator has written the demo data."
ALLOWED: dict[tuple[str, str, str, str], str] = {
    ("participants/season_parts.py", "clone_feedback_questions", "FeedbackQuestion", "bulk_create"): CLONE,
    ("activities/season_parts.py", "clone_activities", "Activity", "bulk_create"): CLONE,
    ("activities/season_parts.py", "clone_activities", "Session", "bulk_create"): CLONE,
    ("activities/season_parts.py", "clone_activities", "VideoAssignment", "bulk_create"): CLONE,
    ("activities/services.py", "_submit", "Submission", "update"): (
        "The replaced version loses is_current in the transaction that saves the new version of the same teacher, "
        "whose post_save makes the KPI stale."
    ),
    ("ratings/services.py", "review_return", "Submission", "update"): (
        "review.save() just before, for the same lesson, makes the KPI stale."
    ),
    ("demo/experts.py", "ExpertsMixin.create_expert_work", "Review", "bulk_update"): DEMO,
}


@dataclass(frozen=True)
class Write:
    path: str
    function: str
    model: str
    method: str
    line: int

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.path, self.function, self.model, self.method)


def _root_name(node: ast.expr) -> str | None:
    """The name a chain like Model.objects.filter(...).exclude(...) starts from."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return None


def _admin_model(cls: ast.ClassDef) -> str | None:
    """The model of a ModelAdmin: @admin.register(Model) or `model = Model`."""
    for decorator in cls.decorator_list:
        if isinstance(decorator, ast.Call) and decorator.args and isinstance(decorator.args[0], ast.Name):
            if isinstance(decorator.func, ast.Attribute) and decorator.func.attr == "register":
                return decorator.args[0].id
    for statement in cls.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Name):
            if any(isinstance(t, ast.Name) and t.id == "model" for t in statement.targets):
                return statement.value.id
    return None


def _bumps(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "send" and isinstance(func.value, ast.Name):
            if func.value.id in BUMP_SIGNALS:
                return True
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in BUMP_HELPERS:
            return True
    return False


def unbumped_writes(source: str, path: str, protected: set[str]) -> list[Write]:
    """The set-based writes of protected models in `source` made by a function that does not bump."""
    found: list[Write] = []

    def visit(node: ast.AST, functions: list[ast.AST], names: list[str], admin_model: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, functions, [*names, child.name], _admin_model(child) or admin_model)
                continue
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, [*functions, child], [*names, child.name], admin_model)
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) and child.func.attr in WRITES:
                root = _root_name(child.func.value)
                model = admin_model if root == "queryset" else root
                if model in protected and child.func.attr != "delete" and not any(_bumps(f) for f in functions):
                    found.append(Write(path, ".".join(names) or "<module>", model, child.func.attr, child.lineno))
            visit(child, functions, names, admin_model)

    visit(ast.parse(source), [], [], None)
    return found


def protected_models() -> dict[str, type]:
    return {model.__name__: model for model in KPI_MODELS}


def _sources():
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []:
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_every_set_based_write_of_a_cached_model_bumps_or_says_why_not():
    protected = set(protected_models())
    writes = [w for path, source in _sources() for w in unbumped_writes(source, path, protected)]
    unexplained = [w for w in writes if w.key not in ALLOWED]
    assert not unexplained, "A set-based write that no cache hears of (send rows_changed after it):\n" + "\n".join(
        f"{w.path}:{w.line} {w.function}: {w.model}.{w.method}()" for w in unexplained
    )
    stale = set(ALLOWED) - {w.key for w in writes}
    assert not stale, f"ALLOWED names writes that no longer exist or now bump: {sorted(stale)}"


def models_read_through_relations(source: str, models: frozenset) -> set[tuple[str, str]]:
    """(model, related model) for each relation of a model in `models` that `source` names in a lookup string
    («year_facts», "year_facts__year") while its related model is not in `models`: a KPI reads rows through
    the relation without importing their model, which the import check of tests/reports/test_kpi_cache.py
    cannot see."""
    names = set(re.findall(r'"([a-z_]+?)(?:__[a-z_]+)*"', source)) | set(re.findall(r'["(]([a-z_]+)__', source))
    return {
        (model.__name__, rel.related_model.__name__)
        for model in models
        for rel in model._meta.related_objects
        if {rel.get_accessor_name(), rel.name} & names and rel.related_model not in models
    }


def test_every_model_a_kpi_reads_through_a_relation_invalidates_the_cache():
    source = (ROOT / "reports" / "kpi.py").read_text(encoding="utf-8")
    assert models_read_through_relations(source, KPI_MODELS) == set()
    # The schools' yearly facts (their ШНОР mark of the year, «Школа – Школе») are read only as «year_facts».
    assert models_read_through_relations(source, KPI_MODELS - {OrganisationYearFacts}) == {
        ("Organisation", "OrganisationYearFacts")
    }


@pytest.mark.django_db
def test_marking_schools_of_low_results_bumps_the_kpi_version(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        school = OrganisationFactory()  # its own save's bump, done here
    before = kpi_data_version()
    with django_capture_on_commit_callbacks(execute=True):
        organisation_low_results_mark(organisation_ids=[school.pk], year=2026, low_results=True)
    assert kpi_data_version() != before


def test_both_caches_hear_every_deletion_of_a_model_they_read():
    """Django deletes a queryset without post_delete only for models nobody listens to; these are listened to."""
    for name, model in protected_models().items():
        assert post_delete.has_listeners(model), name


# --- The guard itself ------------------------------------------------------------------------------------------


SNIPPET = """
from django.contrib import admin

def quiet(season):
    Activity.objects.filter(season=season).update(is_mandatory=True)

def told(season):
    Activity.objects.filter(season=season).update(is_mandatory=True)
    rows_changed.send(sender=Activity)

def helper_told(season):
    Session.objects.bulk_create([])
    kpi_data_changed_on_commit()

def unprotected(rows):
    Log.objects.bulk_create(rows)
    rows.update({})

def deleted(season):
    Activity.objects.filter(season=season).delete()

@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    def make_mandatory(self, request, queryset):
        queryset.update(is_mandatory=True)
"""


@pytest.mark.parametrize("protected", [{"Activity", "Session"}])
def test_the_guard_finds_a_quiet_write_and_passes_a_told_one(protected):
    found = unbumped_writes(SNIPPET, "app/snippet.py", protected)
    assert [(w.function, w.model, w.method) for w in found] == [
        ("quiet", "Activity", "update"),
        ("ActivityAdmin.make_mandatory", "Activity", "update"),
    ]
