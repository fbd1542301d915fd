"""Spreadsheet exports as long jobs: queued after commit, streamed into storage, the starter notified."""

import io

import pytest
from openpyxl import load_workbook

from core.models import BackgroundJob, Notification
from reports import exports
from reports.exports import ExportKind, export_run, export_start, register_export
from reports.xlsx import Column, Sheet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _numbers(params):
    count = params["rows"]
    if params.get("broken"):
        raise RuntimeError("the database went away")
    rows = ([n, f"Строка {n}"] for n in range(count))
    return [Sheet(title="Данные", columns=[Column("№"), Column("Текст", width=20)], rows=rows)], count


@pytest.fixture(autouse=True)
def _kind(settings):
    register_export(ExportKind(key="numbers", build=_numbers, file_name=lambda params: "numbers.xlsx"))
    yield
    exports._KINDS.pop("numbers", None)


def test_an_export_is_queued_after_commit_and_written_by_the_worker(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 10)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export_start(kind="numbers", title="Числа", params={"rows": 25}, by=user)
    assert len(callbacks) == 1  # the task is sent only once the job row is committed
    assert job.status == BackgroundJob.Status.QUEUED and job.kind == "export:numbers"

    export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.done == job.total == 25
    assert job.result_file.name.endswith(".xlsx") and "numbers" in job.result_file.name
    sheet = load_workbook(io.BytesIO(job.result_file.read()), read_only=True)["Данные"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("№", "Текст") and rows[1] == (0, "Строка 0") and len(rows) == 26
    assert "25" in job.message
    note = Notification.objects.get(user=user)
    assert note.kind == Notification.Kind.JOB and note.url == f"/jobs/{job.pk}/"


def test_a_repeated_delivery_of_a_finished_export_changes_nothing():
    job = export_start(kind="numbers", title="Числа", params={"rows": 3}, by=UserFactory())
    export_run(job_id=job.pk)
    job.refresh_from_db()
    first_file = job.result_file.name

    export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.result_file.name == first_file
    assert Notification.objects.count() == 1


def test_a_failing_export_says_so_and_the_error_reaches_the_worker_log():
    user = UserFactory()
    job = export_start(kind="numbers", title="Числа", params={"rows": 3, "broken": True}, by=user)

    with pytest.raises(RuntimeError):
        export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and not job.result_file
    assert "ошибки на сервере" in job.message
    assert Notification.objects.get(user=user).title.startswith("Не выполнено")


def test_an_unknown_kind_is_refused_at_start_and_a_vanished_one_fails_the_job():
    with pytest.raises(ValueError):
        export_start(kind="nothing", title="?", params={}, by=UserFactory())
    job = BackgroundJob.objects.create(kind="export:gone", title="Старая выгрузка", started_by=UserFactory())

    export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and job.message == "Такой выгрузки больше нет."


def test_a_deleted_job_is_no_error():
    export_run(job_id=987654)
