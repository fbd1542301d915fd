"""One runner for every spreadsheet import done as a background job: each import supplies only its steps.

An import's table waits in private storage (core.tables.table_stash); its job's params hold the table's name,
the mode («check» or «apply») and whatever the import needs (a municipality, a year, a season). The runner:
- finds the import's context from the params (`context`; None when a row it needs is gone),
- checks the table (`check`), or imports it all or nothing (`apply`) under the job's row lock, the job's «done»
  committed in the import's own transaction, so a run killed half-way leaves nothing and the next one starts over,
- reports problems row by row (the first REPORT_LINES_SHOWN in the job's message, all in a CSV file),
- says what was imported and where to look (`done`: the same words the admin shows after an import in the request),
- removes the stored table once the import succeeded.
A report is any object with `problems` (each with `row_number`, `column`, `message`), `rows` and `ok`.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .jobs import background_job_finish, background_job_progress
from .models import BackgroundJob
from .spreadsheets import spreadsheet_safe
from .tables import Table, table_discard, table_unstash

logger = logging.getLogger(__name__)

MODES = ("check", "apply")
# Problems quoted in the job's message; the full report is the job's file.
REPORT_LINES_SHOWN = 50

ReportLine = tuple[int, str, str]


def _problem_lines(report) -> list[ReportLine]:
    return [(p.row_number, p.column, p.message) for p in report.problems]


@dataclass(frozen=True)
class ImportSteps:
    """What one import supplies. `context(params)` gives the keyword arguments of the other steps (None: the
    file's season or municipality is gone); `check(table=…, **context)` and `apply(table=…, by=…, **context)`
    return a report (both also get `progress(done)` to report the rows they went through); `done(report,
    **context)` gives the success message and the URL of what was imported;
    `checked_url(**context)` is where the person confirms a check without problems; `lines(report, table,
    **context)` turns problems into (row, column title, message), by default the report's own columns."""

    context: Callable[[dict], dict | None]
    check: Callable[..., Any]
    apply: Callable[..., Any]
    done: Callable[..., tuple[str, str]]
    checked_url: Callable[..., str]
    lines: Callable[..., list[ReportLine]] | None = None
    gone_message: str = ""

    def report_lines(self, report, table: Table, context: dict) -> list[ReportLine]:
        if self.lines is None:
            return _problem_lines(report)
        return self.lines(report, table, **context)


def report_csv(lines: list[ReportLine]) -> bytes:
    """The full problem report: a CSV Excel opens as it is (semicolons, UTF-8 with a BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Строка"), _("Столбец"), _("Что не так")])
    for row, column, message in lines:
        writer.writerow([row or "—", spreadsheet_safe(column or "—"), spreadsheet_safe(message)])
    return out.getvalue().encode("utf-8-sig")


def report_message(lines: list[ReportLine], *, applied: bool) -> str:
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


def import_check_failed(job: BackgroundJob, lines: list[ReportLine]) -> None:
    """A check that found problems: the job ends with the first of them and the full report as its file."""
    background_job_finish(
        job_id=job.pk,
        message=report_message(lines, applied=False),
        result_name=f"import-report-{job.pk}.csv",
        result_content=report_csv(lines),
    )


def import_checked(job: BackgroundJob, *, rows: int, back_url: str) -> None:
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


def import_failed_on_server(job: BackgroundJob) -> None:
    logger.exception("Import job %s failed", job.pk)
    background_job_finish(
        job_id=job.pk,
        failed=True,
        message=_("Импорт не выполнен из-за ошибки на сервере; ничего не сохранено. Попробуйте ещё раз."),
    )


def import_run(job: BackgroundJob, steps: ImportSteps) -> None:
    """Run a claimed import job (core.jobs.background_job_claim) through its import's steps."""
    params = job.params
    context = steps.context(params)
    table = table_unstash(params.get("table_file"))
    if context is None or table is None or params.get("mode") not in MODES:
        message = steps.gone_message or _("Файл импорта больше недоступен: загрузите файл снова.")
        background_job_finish(job_id=job.pk, failed=True, message=message)
        return
    total = len(table.rows)
    background_job_progress(job_id=job.pk, done=0, total=total)
    context["progress"] = lambda done: background_job_progress(job_id=job.pk, done=done, total=total)
    try:
        if params["mode"] == "check":
            report = steps.check(table=table, **context)
            lines = steps.report_lines(report, table, context)
            if lines:
                import_check_failed(job, lines)
            else:
                import_checked(job, rows=len(report.rows), back_url=steps.checked_url(**context))
            return
        with transaction.atomic():
            # Under the job's lock: a second run waits here, then finds the job finished by the first.
            locked = BackgroundJob.objects.select_for_update().filter(pk=job.pk).first()
            if locked is None or locked.is_finished:
                return
            report = steps.apply(table=table, by=job.started_by, **context)
            if report.ok:
                # In the import's own transaction: the job reads «done» exactly when the rows exist.
                message, url = steps.done(report, **context)
                background_job_finish(job_id=job.pk, message=message, result_url=url)
        if report.ok:
            table_discard(params["table_file"])
        else:
            lines = steps.report_lines(report, table, context)
            background_job_finish(job_id=job.pk, failed=True, message=report_message(lines, applied=True))
    except Exception:
        import_failed_on_server(job)
        raise
