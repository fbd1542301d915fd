"""Large imports as background jobs: a Google Form export of more than IMPORT_INLINE_MAX_ROWS rows is checked and
imported by a Celery worker, the person following it on the job's page (participants.views.background_job).

The table read at upload waits in private storage (core.tables.table_stash); the job's params hold its
name, the season and the column mapping. A check job («Проверить») reports row by row and keeps the table for the
confirmation; an import job («Импортировать») checks again, imports all or nothing and deletes the table.

Safe to run twice (a task redelivered, a job resumed after its worker died): a finished job is left alone, and
the import, the job's «done» and its notification commit in one transaction under the job's row lock, so a run
killed half-way left nothing behind and the next run starts over; a second run of a committed import finds the
job finished.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import tables
from core.import_runner import ImportSteps, import_run
from core.jobs import background_job_claim, background_job_create
from core.models import BackgroundJob
from programs.models import Season

from . import imports
from .models import User
from .services import ImportRejected, RowProblem, registrations_import

logger = logging.getLogger(__name__)

REGISTRATIONS_KIND = "import:registrations"
PD_KIND = "import:professional_development"
ROSTER_KIND = "import:staff_roster"
# Named in the job, so the sweeper queues it again if its worker dies (core.jobs).
IMPORT_TASK = "participants.tasks.import_job_task"
PROGRESS_EVERY = 200


def import_runs_in_background(table: tables.Table) -> bool:
    return len(table.rows) > settings.IMPORT_INLINE_MAX_ROWS


def registrations_import_start(
    *,
    season: Season,
    mapping: dict[str, int | None],
    table_file: str,
    filename: str,
    total: int,
    apply: bool,
    by: User,
) -> BackgroundJob:
    """Queue the check (or the check and the import) of a stashed table; the caller sends the person to the job."""
    if apply:
        title = _("Импорт участников из файла «%(file)s» в сезон «%(season)s»") % {"file": filename, "season": season}
    else:
        title = _("Проверка файла «%(file)s» для импорта в сезон «%(season)s»") % {"file": filename, "season": season}
    params = {
        "mode": "apply" if apply else "check",
        "season": season.pk,
        "mapping": mapping,
        "table_file": table_file,
        "filename": filename,
    }
    with transaction.atomic():
        job = background_job_create(
            kind=REGISTRATIONS_KIND, title=title, by=by, params=params, total=total, task=IMPORT_TASK
        )
        from core.task_outbox import task_enqueue  # it imports the Celery app

        task_enqueue(IMPORT_TASK, {"job_id": job.pk})
    return job


def _report_lines(problems: list[RowProblem], mapping: dict, headers: list[str]) -> list[tuple[int, str, str]]:
    return [(p.row_number, imports.column_title(p.column, mapping, headers), p.message) for p in problems]


def import_job_run(*, job_id: int) -> None:
    """Run a queued import job; a finished job (a repeated delivery) is left alone."""
    steps = IMPORT_STEPS
    if not BackgroundJob.objects.filter(pk=job_id, kind__in=steps).exists():
        return
    # Claimed: a finished job, or one a live worker runs, is left alone; one whose worker died starts again
    # (an import is all-or-nothing, so nothing of the dead run was kept).
    job = background_job_claim(job_id=job_id)
    if job is None:
        return
    import_run(job, steps[job.kind])


# --- Registrations (participants.services.registrations_import) ---------------------------------------------


@dataclass
class RegistrationsReport:
    """The checked rows of a registration form's export, and what stops their import."""

    rows: list
    problems: list[RowProblem]
    enrollments: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _registrations_context(params: dict) -> dict | None:
    season = Season.objects.select_related("program").filter(pk=params.get("season")).first()
    if season is None or not isinstance(params.get("mapping"), dict):
        return None
    return {"season": season, "mapping": {key: params["mapping"].get(key) for key in (f.key for f in imports.FIELDS)}}


def _registrations_check(*, table: tables.Table, season: Season, mapping: dict, progress) -> RegistrationsReport:
    result = imports.check_rows(
        table=table, mapping=mapping, season=season, progress=progress, progress_every=PROGRESS_EVERY
    )
    return RegistrationsReport(rows=result.rows, problems=result.problems)


def _registrations_apply(*, table: tables.Table, season: Season, mapping: dict, by, progress) -> RegistrationsReport:
    report = _registrations_check(table=table, season=season, mapping=mapping, progress=progress)
    if report.problems:
        return report
    try:
        report.enrollments = registrations_import(season=season, rows=report.rows, actor=by, site_url=settings.SITE_URL)
    except ImportRejected as rejected:
        report.problems = rejected.problems
    return report


def _registrations_lines(report: RegistrationsReport, table: tables.Table, *, mapping: dict, **context) -> list:
    return [(p.row_number, imports.column_title(p.column, mapping, table.headers), p.message) for p in report.problems]


def registrations_import_done(report: RegistrationsReport, *, season: Season, **context) -> tuple[str, str]:
    message = ngettext(
        "Импортирован %(n)d участник в сезон «%(season)s»; приглашение отправлено на почту.",
        "Импортировано участников: %(n)d в сезон «%(season)s»; приглашения отправлены на почту.",
        len(report.enrollments),
    ) % {"n": len(report.enrollments), "season": season}
    return message, reverse("admin:participants_enrollment_changelist") + f"?season__id__exact={season.pk}"


REGISTRATIONS_STEPS = ImportSteps(
    context=_registrations_context,
    check=_registrations_check,
    apply=_registrations_apply,
    done=registrations_import_done,
    checked_url=lambda **context: reverse("admin:participants_enrollment_import_mapping"),
    lines=_registrations_lines,
    gone_message=_("Файл импорта или сезон больше недоступны: загрузите файл снова."),
)


# --- Professional development (participants.services_pd) ------------------------------------------------------


def professional_development_import_start(
    *, municipality, table_file: str, filename: str, total: int, apply: bool, by: User
) -> BackgroundJob:
    """Queue the check (or the check and the import) of a stashed professional-development table."""
    if apply:
        title = _("Импорт повышения квалификации из файла «%(file)s»") % {"file": filename}
    else:
        title = _("Проверка файла «%(file)s» для импорта повышения квалификации") % {"file": filename}
    params = {
        "mode": "apply" if apply else "check",
        "municipality": municipality.pk,
        "table_file": table_file,
        "filename": filename,
    }
    with transaction.atomic():
        job = background_job_create(kind=PD_KIND, title=title, by=by, params=params, total=total, task=IMPORT_TASK)
        from core.task_outbox import task_enqueue

        task_enqueue(IMPORT_TASK, {"job_id": job.pk})
    return job


def _municipality_context(params: dict) -> dict | None:
    from programs.models import Municipality

    municipality = Municipality.objects.filter(pk=params.get("municipality")).first()
    return None if municipality is None else {"municipality": municipality}


def _pd_check(*, table: tables.Table, municipality, progress):
    from .services_pd import professional_development_check

    return professional_development_check(table=table, municipality=municipality)


def _pd_apply(*, table: tables.Table, municipality, by, progress):
    from .services_pd import professional_development_import

    return professional_development_import(file=table, municipality=municipality, by=by)


def professional_development_import_done(report, **context) -> tuple[str, str]:
    """What an import of professional development did and where to see it (the job's page and the admin)."""
    message = ngettext(
        "Импортирована %(n)d запись о повышении квалификации.",
        "Импортировано записей о повышении квалификации: %(n)d.",
        report.created,
    ) % {"n": report.created}
    return message, reverse("admin:participants_professionaldevelopment_changelist") + "?source__exact=import"


PD_STEPS = ImportSteps(
    context=_municipality_context,
    check=_pd_check,
    apply=_pd_apply,
    done=professional_development_import_done,
    checked_url=lambda **context: reverse("admin:participants_pd_import_preview"),
)


# --- Staff roster (participants.services_roster) ------------------------------------------------------------


def staff_roster_import_start(
    *, municipality, year: int, table_file: str, filename: str, total: int, apply: bool, by: User
) -> BackgroundJob:
    """Queue the check (or the check and the import) of a stashed staff-roster table for one year."""
    if apply:
        title = _("Импорт кадрового состава за %(year)d год из файла «%(file)s»") % {"file": filename, "year": year}
    else:
        title = _("Проверка файла «%(file)s» для импорта кадрового состава за %(year)d год") % {
            "file": filename,
            "year": year,
        }
    params = {
        "mode": "apply" if apply else "check",
        "municipality": municipality.pk,
        "year": year,
        "table_file": table_file,
        "filename": filename,
    }
    with transaction.atomic():
        job = background_job_create(kind=ROSTER_KIND, title=title, by=by, params=params, total=total, task=IMPORT_TASK)
        from core.task_outbox import task_enqueue

        task_enqueue(IMPORT_TASK, {"job_id": job.pk})
    return job


def _roster_context(params: dict) -> dict | None:
    context = _municipality_context(params)
    year = params.get("year")
    return None if context is None or not isinstance(year, int) else {**context, "year": year}


def _roster_check(*, table: tables.Table, municipality, year: int, progress):
    from .services_roster import staff_roster_check

    return staff_roster_check(table=table, municipality=municipality, year=year)


def _roster_apply(*, table: tables.Table, municipality, year: int, by, progress):
    from .services_roster import staff_roster_import

    return staff_roster_import(file=table, municipality=municipality, year=year)


def staff_roster_import_done(report, *, year: int, **context) -> tuple[str, str]:
    """What an import of the staff roster did and where to see it (the job's page and the admin)."""
    message = ngettext(
        "В кадровый состав за %(year)d год внесён %(n)d работник.",
        "В кадровый состав за %(year)d год внесено работников: %(n)d.",
        report.created,
    ) % {"n": report.created, "year": year}
    return message, reverse("admin:participants_staffrosterentry_changelist") + f"?year={year}"


ROSTER_STEPS = ImportSteps(
    context=_roster_context,
    check=_roster_check,
    apply=_roster_apply,
    done=staff_roster_import_done,
    checked_url=lambda **context: reverse("admin:participants_roster_import_preview"),
)

# Each import's kind with its steps (core.import_runner runs them).
IMPORT_STEPS = {REGISTRATIONS_KIND: REGISTRATIONS_STEPS, PD_KIND: PD_STEPS, ROSTER_KIND: ROSTER_STEPS}
