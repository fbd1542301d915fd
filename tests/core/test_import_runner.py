"""core.import_runner: one background import run through the steps an import supplies."""

from dataclasses import dataclass, field

import pytest

from core.import_runner import REPORT_LINES_SHOWN, ImportSteps, import_run
from core.jobs import background_job_create
from core.models import BackgroundJob
from core.tables import Table, table_stash, table_unstash


@dataclass
class Problem:
    row_number: int
    column: str
    message: str


@dataclass
class Report:
    rows: list
    problems: list = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _steps(*, applied: list, problems=(), context=lambda params: {"year": 2026}, fail=False):
    def check(*, table, year, progress):
        progress(len(table.rows))
        return Report(rows=table.rows, problems=list(problems))

    def apply(*, table, year, by, progress):
        if fail:
            raise RuntimeError("database gone")
        report = check(table=table, year=year, progress=progress)
        if report.ok:
            applied.append((year, by, len(table.rows)))
            report.created = len(table.rows)
        return report

    return ImportSteps(
        context=context,
        check=check,
        apply=apply,
        done=lambda report, *, year, **context: (f"Внесено за {year} год: {report.created}", f"/done/{year}/"),
        checked_url=lambda *, year, **context: f"/confirm/{year}/",
    )


def _job(mode: str) -> tuple[BackgroundJob, str]:
    stashed = table_stash(Table(headers=["ФИО"], rows=[(2, ["Иванова"]), (3, ["Петров"])]))
    job = background_job_create(
        kind="import:test", title="Импорт", by=None, params={"mode": mode, "table_file": stashed}
    )
    return job, stashed


@pytest.mark.django_db
def test_a_clean_check_links_back_to_the_confirmation():
    job, stashed = _job("check")
    import_run(job, _steps(applied=[]))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.result_url == "/confirm/2026/"
    assert job.message.startswith("Проверка пройдена: 2 строки готовы к импорту.")
    assert table_unstash(stashed) is not None  # kept for the confirmation


@pytest.mark.django_db
def test_a_check_with_problems_quotes_the_first_and_files_them_all():
    problems = [Problem(n, "ФИО", f"ошибка {n}") for n in range(2, REPORT_LINES_SHOWN + 7)]
    job, _stashed = _job("check")
    import_run(job, _steps(applied=[], problems=problems))
    job.refresh_from_db()
    assert job.message.startswith(f"Найдено ошибок: {len(problems)}.")
    assert "Строка 2, «ФИО»: ошибка 2" in job.message and "…и ещё строк с ошибками: 5" in job.message
    report = job.result_file.read().decode("utf-8-sig")
    assert report.count("\n") == len(problems) + 1 and "ошибка 56" in report


@pytest.mark.django_db
def test_apply_imports_once_says_what_it_did_and_removes_the_table():
    applied = []
    job, stashed = _job("apply")
    import_run(job, _steps(applied=applied))
    job.refresh_from_db()
    assert (job.status, job.message, job.result_url) == (
        BackgroundJob.Status.DONE,
        "Внесено за 2026 год: 2",
        "/done/2026/",
    )
    assert applied == [(2026, None, 2)] and table_unstash(stashed) is None
    import_run(job, _steps(applied=applied))  # delivered twice: the finished job is left alone
    assert applied == [(2026, None, 2)]


@pytest.mark.django_db
def test_apply_with_problems_saves_nothing_and_fails():
    applied = []
    job, stashed = _job("apply")
    import_run(job, _steps(applied=applied, problems=[Problem(3, "ФИО", "нет имени")]))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and applied == []
    assert job.message.startswith("Найдена 1 ошибка: импорт невозможен, ничего не сохранено.")
    assert table_unstash(stashed) is not None


@pytest.mark.django_db
def test_a_gone_context_or_table_fails_with_a_russian_message():
    job, _stashed = _job("apply")
    import_run(job, _steps(applied=[], context=lambda params: None))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert job.message == "Файл импорта больше недоступен: загрузите файл снова."


@pytest.mark.django_db
def test_a_server_error_fails_the_job_and_is_raised_for_the_worker_log():
    job, _stashed = _job("apply")
    with pytest.raises(RuntimeError):
        import_run(job, _steps(applied=[], fail=True))
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and "ничего не сохранено" in job.message
