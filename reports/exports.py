"""Spreadsheet exports as long jobs: a person asks, a Celery worker writes the workbook, the page follows it.

An export kind registers a builder that turns the job's parameters into sheets (reports.xlsx.Sheet) whose
rows are iterators, so a 100,000-row raw-data sheet is streamed from the database into a temporary file in
openpyxl's write-only mode and then into storage; memory stays flat whatever the size. Progress is reported
every PROGRESS_EVERY rows; the person is notified when the file is ready (core.jobs).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import background_job_create, background_job_finish, background_job_progress
from core.models import BackgroundJob
from core.task_outbox import task_enqueue
from participants.models import User

from .xlsx import Sheet, workbook_write

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class ExportKind:
    key: str
    # The builder gets the job's parameters and returns the sheets plus the number of rows expected (for the
    # progress bar; 0 when unknown). It runs in the worker.
    build: Callable[[dict], tuple[Sequence[Sheet], int]]
    file_name: Callable[[dict], str]


class ExportRefused(Exception):
    """Raised by a builder when the export may not be written (the reader lost access): the job fails with this
    message for the person, and it is no server error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_KINDS: dict[str, ExportKind] = {}


def register_export(kind: ExportKind) -> None:
    _KINDS[kind.key] = kind


def export_kind(key: str) -> ExportKind | None:
    return _KINDS.get(key)


def export_start(*, kind: str, title: str, params: dict, by: User) -> BackgroundJob:
    """Queue an export after the commit; the caller redirects the person to the job's status page."""
    if kind not in _KINDS:
        raise ValueError(f"unknown export kind: {kind}")
    with transaction.atomic():
        job = background_job_create(kind=f"export:{kind}", title=title, by=by, params=params)
        task_enqueue("reports.tasks.export_task", {"job_id": job.pk})
    return job


def _counted(rows: Iterable, *, job_id: int, start: list[int], total: int) -> Iterator:
    """Pass the rows through, reporting progress every PROGRESS_EVERY rows (shared count across sheets)."""
    for row in rows:
        start[0] += 1
        if start[0] % PROGRESS_EVERY == 0:
            background_job_progress(job_id=job_id, done=start[0], total=max(total, start[0]))
        yield row


def export_run(*, job_id: int) -> None:
    """Write the workbook of a queued export; a job already finished (a repeated delivery) is left alone."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or job.is_finished or not job.kind.startswith("export:"):
        return
    kind = _KINDS.get(job.kind.removeprefix("export:"))
    if kind is None:
        background_job_finish(job_id=job_id, failed=True, message=_("Такой выгрузки больше нет."))
        return
    try:
        sheets, total = kind.build(job.params)
        background_job_progress(job_id=job_id, done=0, total=total)
        done = [0]
        counted = [
            Sheet(
                title=sheet.title,
                columns=sheet.columns,
                rows=_counted(sheet.rows, job_id=job_id, start=done, total=total),
                chart=sheet.chart,
                preamble=sheet.preamble,
            )
            for sheet in sheets
        ]
        with tempfile.TemporaryFile() as tmp:
            rows = workbook_write(sheets=counted, file=tmp)
            tmp.seek(0)
            background_job_finish(
                job_id=job_id,
                message=_("Строк в выгрузке: %(rows)s.") % {"rows": rows},
                result_name=kind.file_name(job.params),
                result_file=File(tmp),
            )
    except ExportRefused as refused:
        background_job_finish(job_id=job_id, failed=True, message=refused.message)
    except Exception:
        logger.exception("Export %s failed", job_id)
        background_job_finish(
            job_id=job_id,
            failed=True,
            message=_(
                "Выгрузка не сформирована из-за ошибки на сервере; попробуйте ещё раз или сообщите администратору."
            ),
        )
        raise


def export_file_name(stem: str, *, now=None) -> str:
    """«kpi-oktyabrsky-2025-11-25.xlsx»-style names: a stem and the day of the export."""
    return f"{stem}-{timezone.localdate(now or timezone.now()):%Y-%m-%d}.xlsx"
