"""Migrations renamed from work-item names to descriptive ones (docs/decisions/0007-migration-names.md): a
database that applied the old names migrates on without applying anything twice, and a fresh one as usual."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

BASE_DIR = Path(__file__).resolve().parent.parent

RENAMED = {
    ("activities", "0004_issue4_experts"): "0004_attendance_source_checkin_code",
    ("activities", "0005_issue5_jobs"): "0005_certificates_exclusion_cases",
    ("experts", "0005_issue4_experts"): "0005_groups_visits_consultations_mentoring",
    ("participants", "0004_issue5_jobs"): "0004_job_runs_background_jobs_notifications",
    ("participants", "0006_issue6_kpi_facts"): "0006_diagnostics_management_team_training",
    ("programs", "0002_issue4_experts"): "0002_season_review_settings",
    ("programs", "0003_issue5_jobs"): "0003_season_reminder_offsets",
    ("programs", "0004_issue6_kpi_facts"): "0004_municipal_events_organisation_facts",
    ("ratings", "0003_issue4_experts"): "0003_review_workflow_achievements",
    ("reports", "0002_issue5_jobs"): "0002_kpi_snapshot",
}
OURS = set(settings.PORTAL_APPS) - {"core"}


def test_each_renamed_migration_replaces_its_old_name_and_is_depended_on_by_its_new_one():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, old), new in RENAMED.items():
        assert loader.disk_migrations[(app, new)].replaces == [(app, old)]
    for key, migration in loader.disk_migrations.items():
        if key[0] in OURS:
            assert "issue" not in key[1]
            assert not set(migration.dependencies) & set(RENAMED), key


def manage(db: Path, tmp_path: Path, *args: str) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{db}",
        REDIS_URL="",
        VAR_DIR=str(tmp_path / "var"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def applied(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        return set(connection.execute("SELECT app, name FROM django_migrations"))


def test_a_database_migrated_under_the_old_names_applies_nothing_twice(tmp_path):
    db = tmp_path / "portal.sqlite3"
    fresh = manage(db, tmp_path, "migrate", "--noinput")
    assert "Applying programs.0002_season_review_settings... OK" in fresh
    assert "issue" not in fresh
    assert set(RENAMED.values()) <= {name for _, name in applied(db)}

    # The database as the old files left it: the old names recorded, the new ones unknown.
    with sqlite3.connect(db) as connection:
        for (app, old), new in RENAMED.items():
            connection.execute("DELETE FROM django_migrations WHERE app = ? AND name = ?", (app, new))
            connection.execute(
                "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, CURRENT_TIMESTAMP)", (app, old)
            )
    assert not set(RENAMED.values()) & {name for _, name in applied(db)}

    again = manage(db, tmp_path, "migrate", "--noinput")
    assert "No migrations to apply." in again
    assert "Applying" not in again
    # migrate records the new names beside the old ones.
    assert {(app, new) for (app, _), new in RENAMED.items()} <= applied(db)

    shown = manage(db, tmp_path, "showmigrations", *sorted(OURS))
    assert "[ ]" not in shown
    for new in RENAMED.values():
        assert f"[X] {new}" in shown
