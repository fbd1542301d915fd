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

import csv
import io
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import tables
from core.jobs import background_job_claim, background_job_create, background_job_finish, background_job_progress
from core.models import BackgroundJob
from core.spreadsheets import spreadsheet_safe
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
MODES = ("check", "apply")
# Problems quoted in the job's message; the full report is the job's file.
REPORT_LINES_SHOWN = 50
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


def _report_csv(lines: list[tuple[int, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Строка"), _("Столбец"), _("Что не так")])
    for row, column, message in lines:
        writer.writerow([row or "—", spreadsheet_safe(column or "—"), spreadsheet_safe(message)])
    return out.getvalue().encode("utf-8-sig")  # Excel reads UTF-8 CSV with a BOM


def _report_message(lines: list[tuple[int, str, str]], *, applied: bool) -> str:
    head = (
        ngettext(
            "Найдена %(n)d ошибка: импорт невозможен, ничего не сохранено.",
            "Найдено ошибок: %(n)d. Импорт невозможен, ничего не сохранено.",
            len(lines),
        )
        if applied
        else ngettext(
            "Найдена %(n)d ошибка: исправьте файл и загрузите его снова.",
            "Найдено ошибок: %(n)d. Исправьте файл и загрузите его снова.",
            len(lines),
        )
    ) % {"n": len(lines)}
    shown = [
        _("Строка %(row)s, «%(column)s»: %(message)s")
        % {"row": row or "—", "column": column or "—", "message": message}
        for row, column, message in lines[:REPORT_LINES_SHOWN]
    ]
    if len(lines) > REPORT_LINES_SHOWN:
        shown.append(
            _("…и ещё строк с ошибками: %(n)s; полный отчёт — в файле.") % {"n": len(lines) - REPORT_LINES_SHOWN}
        )
    return "\n".join([head, *shown])


def import_job_run(*, job_id: int) -> None:
    """Run a queued import job; a finished job (a repeated delivery) is left alone."""
    if not BackgroundJob.objects.filter(pk=job_id, kind__in=KINDS).exists():
        return
    # Claimed: a finished job, or one a live worker runs, is left alone; one whose worker died starts again
    # (an import is all-or-nothing, so nothing of the dead run was kept).
    job = background_job_claim(job_id=job_id)
    if job is None:
        return
    if job.kind == PD_KIND:
        _pd_run(job)
        return
    if job.kind == ROSTER_KIND:
        _roster_run(job)
        return
    params = job.params
    season = Season.objects.select_related("program").filter(pk=params.get("season")).first()
    table = tables.table_unstash(params.get("table_file"))
    if season is None or table is None or params.get("mode") not in MODES:
        background_job_finish(
            job_id=job_id, failed=True, message=_("Файл импорта или сезон больше недоступны: загрузите файл снова.")
        )
        return
    mapping = {key: params["mapping"].get(key) for key in (f.key for f in imports.FIELDS)}
    total = len(table.rows)
    background_job_progress(job_id=job_id, done=0, total=total)
    try:
        result = imports.check_rows(
            table=table,
            mapping=mapping,
            season=season,
            progress=lambda done: background_job_progress(job_id=job_id, done=done, total=total),
            progress_every=PROGRESS_EVERY,
        )
        if params["mode"] == "check":
            _finish_check(job, result, mapping, table)
        else:
            _apply(job, result, mapping, table, season)
    except Exception:
        logger.exception("Import job %s failed", job_id)
        background_job_finish(
            job_id=job_id,
            failed=True,
            message=_("Импорт не выполнен из-за ошибки на сервере; ничего не сохранено. Попробуйте ещё раз."),
        )
        raise


def _mapping_url() -> str:
    return reverse("admin:participants_enrollment_import_mapping")


def _finish_check(job: BackgroundJob, result: imports.CheckResult, mapping: dict, table: tables.Table) -> None:
    lines = _report_lines(result.problems, mapping, table.headers)
    if lines:
        background_job_finish(
            job_id=job.pk,
            message=_report_message(lines, applied=False),
            result_name=f"import-report-{job.pk}.csv",
            result_content=_report_csv(lines),
        )
        return
    _finish_checked(job, rows=len(result.rows), back_url=_mapping_url())


def _finish_checked(job: BackgroundJob, *, rows: int, back_url: str) -> None:
    """A check without problems: the job ends with the count and a link back to the import to confirm it."""
    background_job_finish(
        job_id=job.pk,
        message=ngettext(
            "Проверка пройдена: %(n)d строка готова к импорту. Вернитесь к импорту и нажмите «Импортировать».",
            "Проверка пройдена: строк готово к импорту — %(n)d. Вернитесь к импорту и нажмите «Импортировать».",
            rows,
        )
        % {"n": rows},
        result_url=back_url,
    )


def _apply(job: BackgroundJob, result: imports.CheckResult, mapping: dict, table: tables.Table, season: Season) -> None:
    problems = result.problems
    enrollments = []
    if not problems:
        with transaction.atomic():
            # Under the job's lock: a second run waits here, then finds the job finished by the first.
            locked = BackgroundJob.objects.select_for_update().filter(pk=job.pk).first()
            if locked is None or locked.is_finished:
                return
            try:
                enrollments = registrations_import(
                    season=season, rows=result.rows, actor=job.started_by, site_url=settings.SITE_URL
                )
            except ImportRejected as rejected:
                problems = rejected.problems
            else:
                # In the import's own transaction: the job reads «done» exactly when the rows exist.
                background_job_finish(
                    job_id=job.pk,
                    message=ngettext(
                        "Импортирован %(n)d участник в сезон «%(season)s»; приглашение отправлено на почту.",
                        "Импортировано участников: %(n)d в сезон «%(season)s»; приглашения отправлены на почту.",
                        len(enrollments),
                    )
                    % {"n": len(enrollments), "season": season},
                    result_url=reverse("admin:participants_enrollment_changelist") + f"?season__id__exact={season.pk}",
                )
        if not problems:
            tables.table_discard(job.params["table_file"])
            return
    lines = _report_lines(problems, mapping, table.headers)
    background_job_finish(job_id=job.pk, failed=True, message=_report_message(lines, applied=True))


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


def _pd_lines(report) -> list[tuple[int, str, str]]:
    return [(p.row_number, p.column, p.message) for p in report.problems]


def _pd_run(job: BackgroundJob) -> None:
    from programs.models import Municipality

    from .services_pd import professional_development_check, professional_development_import

    params = job.params
    municipality = Municipality.objects.filter(pk=params.get("municipality")).first()
    table = tables.table_unstash(params.get("table_file"))
    if municipality is None or table is None or params.get("mode") not in MODES:
        background_job_finish(
            job_id=job.pk, failed=True, message=_("Файл импорта больше недоступен: загрузите файл снова.")
        )
        return
    total = len(table.rows)
    background_job_progress(job_id=job.pk, done=0, total=total)
    try:
        if params["mode"] == "check":
            report = professional_development_check(table=table, municipality=municipality)
            lines = _pd_lines(report)
            if lines:
                background_job_finish(
                    job_id=job.pk,
                    message=_report_message(lines, applied=False),
                    result_name=f"import-report-{job.pk}.csv",
                    result_content=_report_csv(lines),
                )
            else:
                _finish_checked(job, rows=len(report.rows), back_url=reverse("admin:participants_pd_import_preview"))
            return
        with transaction.atomic():
            locked = BackgroundJob.objects.select_for_update().filter(pk=job.pk).first()
            if locked is None or locked.is_finished:
                return
            report = professional_development_import(file=table, municipality=municipality, by=job.started_by)
            if report.ok:
                background_job_finish(
                    job_id=job.pk,
                    message=ngettext(
                        "Импортирована %(n)d запись о повышении квалификации.",
                        "Импортировано записей о повышении квалификации: %(n)d.",
                        report.created,
                    )
                    % {"n": report.created},
                    result_url=reverse("admin:participants_professionaldevelopment_changelist")
                    + "?source__exact=import",
                )
        if report.ok:
            tables.table_discard(params["table_file"])
        else:
            background_job_finish(job_id=job.pk, failed=True, message=_report_message(_pd_lines(report), applied=True))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        background_job_finish(
            job_id=job.pk,
            failed=True,
            message=_("Импорт не выполнен из-за ошибки на сервере; ничего не сохранено. Попробуйте ещё раз."),
        )
        raise


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


def _roster_run(job: BackgroundJob) -> None:
    from programs.models import Municipality

    from .services_roster import staff_roster_check, staff_roster_import

    params = job.params
    municipality = Municipality.objects.filter(pk=params.get("municipality")).first()
    table = tables.table_unstash(params.get("table_file"))
    year = params.get("year")
    if municipality is None or table is None or params.get("mode") not in MODES or not isinstance(year, int):
        background_job_finish(
            job_id=job.pk, failed=True, message=_("Файл импорта больше недоступен: загрузите файл снова.")
        )
        return
    background_job_progress(job_id=job.pk, done=0, total=len(table.rows))
    try:
        if params["mode"] == "check":
            report = staff_roster_check(table=table, municipality=municipality, year=year)
            lines = _pd_lines(report)
            if lines:
                background_job_finish(
                    job_id=job.pk,
                    message=_report_message(lines, applied=False),
                    result_name=f"import-report-{job.pk}.csv",
                    result_content=_report_csv(lines),
                )
            else:
                _finish_checked(
                    job, rows=len(report.rows), back_url=reverse("admin:participants_roster_import_preview")
                )
            return
        with transaction.atomic():
            locked = BackgroundJob.objects.select_for_update().filter(pk=job.pk).first()
            if locked is None or locked.is_finished:
                return
            report = staff_roster_import(file=table, municipality=municipality, year=year)
            if report.ok:
                background_job_finish(
                    job_id=job.pk,
                    message=ngettext(
                        "В кадровый состав за %(year)d год внесён %(n)d работник.",
                        "В кадровый состав за %(year)d год внесено работников: %(n)d.",
                        report.created,
                    )
                    % {"n": report.created, "year": year},
                    result_url=reverse("admin:participants_staffrosterentry_changelist") + f"?year={year}",
                )
        if report.ok:
            tables.table_discard(params["table_file"])
        else:
            background_job_finish(job_id=job.pk, failed=True, message=_report_message(_pd_lines(report), applied=True))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        background_job_finish(
            job_id=job.pk,
            failed=True,
            message=_("Импорт не выполнен из-за ошибки на сервере; ничего не сохранено. Попробуйте ещё раз."),
        )
        raise


KINDS = (REGISTRATIONS_KIND, PD_KIND, ROSTER_KIND)
