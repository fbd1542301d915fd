"""Large imports run as background jobs (participants.import_jobs): past IMPORT_INLINE_MAX_ROWS rows the check and
the import of a Google Form export run in a Celery task (eager here), the person following them on the job's page;
all or nothing, with the row-by-row report, visible to its starter only, and safe to run twice."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from core import tables
from core.models import BackgroundJob
from participants import imports
from participants.import_jobs import REGISTRATIONS_KIND, import_job_run
from participants.models import Consent, Enrollment, Person, User
from programs.models import Organisation
from tests.factories import SeasonFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db
UPLOAD = reverse("admin:participants_enrollment_import")
MAPPING = reverse("admin:participants_enrollment_import_mapping")
IMPORT_KEY = "participants.enrollment_import"
HEADERS = ["Отметка времени", "Адрес электронной почты", "Фамилия", "Имя", "Отчество", "Дата рождения"]
HEADERS += ["Образовательная организация", "Предмет", "Согласие на обработку персональных данных"]
ROWS = 5  # past the inline limit of 3 set below
PEOPLE = ("participants.User", "participants.Person", "participants.Enrollment", "participants.Consent")


def _row(n: int) -> list[str]:
    return [
        "12.09.2024 14:35:12",
        f"teacher{n}@school.ru",
        "Иванова",
        f"Мария{'абвгдежзик'[n]}",
        "Петровна",
        f"{10 + n}.05.1985",
        "МБОУ СОШ № 5",
        "Математика",
        "Даю согласие",
    ]


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.IMPORT_INLINE_MAX_ROWS = 3


@pytest.fixture
def eager():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def season():
    season = SeasonFactory(requires_approval=True)
    Organisation.objects.get_or_create(
        municipality=season.program.municipality, short_name="МБОУ СОШ № 5", defaults={"name": "МБОУ СОШ № 5"}
    )
    SubjectFactory(name="Математика")
    return season


def _coordinator(season):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)
    codenames = ["view_enrollment", "change_enrollment", "add_enrollment", "add_person"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="participants", codename__in=codenames))
    return user


@pytest.fixture
def coordinator(client, season):
    user = _coordinator(season)
    client.force_login(user)
    client.user = user
    return client


def _counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in PEOPLE}


def _upload(client, season, rows):
    response = client.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile("form.csv", _csv(rows))})
    assert response["Location"] == MAPPING
    return client.session[IMPORT_KEY]["table_file"]


def _press(client, button: str, capture):
    """Post the guessed mapping with a button; the task runs after the commit (eagerly, as the worker would)."""
    form = client.get(MAPPING).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[button] = "1"
    with capture(execute=True):
        response = client.post(MAPPING, data)
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("background_job", args=[job.pk])
    job.refresh_from_db()
    return job


def test_a_long_file_is_not_checked_in_the_request(coordinator, season):
    _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    page = coordinator.get(MAPPING)
    assert page.context["background"] is True
    assert page.context["checked"] is False and page.context["ready"] is True
    assert "проверка и импорт выполняются в фоне" in page.content.decode()
    assert BackgroundJob.objects.count() == 0


def test_a_short_file_is_still_checked_in_the_request(coordinator, season):
    _upload(coordinator, season, [_row(n) for n in range(3)])
    page = coordinator.get(MAPPING)
    assert page.context["background"] is False and page.context["checked"] is True and page.context["ready"] is True


def test_the_check_runs_in_the_worker_and_reports_row_by_row(
    coordinator, season, eager, django_capture_on_commit_callbacks
):
    rows = [_row(n) for n in range(ROWS)]
    rows[3][1] = "не-адрес"
    stash = _upload(coordinator, season, rows)
    before = _counts()
    job = _press(coordinator, "check", django_capture_on_commit_callbacks)
    assert job.kind == REGISTRATIONS_KIND and job.params["mode"] == "check" and job.params["table_file"] == stash
    assert job.started_by == coordinator.user
    assert (job.status, job.done, job.total, job.percent) == ("done", ROWS, ROWS, 100)
    assert job.message.splitlines() == [
        "Найдена 1 ошибка: исправьте файл и загрузите его снова.",
        "Строка 5, «Адрес электронной почты»: «не-адрес» — не адрес электронной почты.",
    ]
    report = coordinator.get(reverse("background_job_result", args=[job.pk]))
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == ["Строка;Столбец;Что не так", "5;Адрес электронной почты;«не-адрес» — не адрес электронной почты."]
    assert _counts() == before
    assert default_storage.exists(stash)  # the table waits for a corrected mapping or a new upload
    page = coordinator.get(reverse("background_job", args=[job.pk])).content.decode()
    assert "Строка 5, «Адрес электронной почты»" in page


def test_a_clean_check_leads_back_to_the_confirmation(coordinator, season, eager, django_capture_on_commit_callbacks):
    _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    job = _press(coordinator, "check", django_capture_on_commit_callbacks)
    assert job.status == "done" and job.result_url == MAPPING
    assert job.message.startswith("Проверка пройдена: строк готово к импорту — 5.")
    assert Person.objects.count() == 0


def test_the_import_runs_in_the_worker_all_at_once(coordinator, season, eager, django_capture_on_commit_callbacks):
    stash = _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    job = _press(coordinator, "import", django_capture_on_commit_callbacks)
    assert (job.status, job.done, job.total) == ("done", ROWS, ROWS)
    assert job.message == f"Импортировано участников: 5 в сезон «{season}»; приглашения отправлены на почту."
    assert Enrollment.objects.filter(season=season).count() == ROWS
    assert Consent.objects.count() == ROWS
    assert job.result_url.endswith(f"?season__id__exact={season.pk}")
    assert not default_storage.exists(stash)  # staged for the job, deleted after it
    status = coordinator.get(reverse("background_job_status", args=[job.pk])).json()
    assert (status["done"], status["total"], status["percent"], status["finished"]) == (ROWS, ROWS, 100, True)


def test_an_error_in_the_last_row_saves_nothing(coordinator, season, eager, django_capture_on_commit_callbacks):
    rows = [_row(n) for n in range(ROWS)]
    rows[-1][8] = "Не согласен"
    stash = _upload(coordinator, season, rows)
    before = _counts()
    job = _press(coordinator, "import", django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert job.message.splitlines() == [
        "Найдена 1 ошибка: импорт невозможен, ничего не сохранено.",
        "Строка 6, «Согласие на обработку персональных данных»: Нет согласия на обработку персональных данных: "
        "без него импортировать нельзя.",
    ]
    assert _counts() == before
    assert default_storage.exists(stash)


def test_a_season_without_room_for_the_last_row_saves_nothing(
    coordinator, season, eager, django_capture_on_commit_callbacks
):
    _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    season.capacity = ROWS - 1
    season.save(update_fields=["capacity"])
    before = _counts()
    job = _press(coordinator, "import", django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert "В сезоне осталось мест: 4, а в файле участников: 5." in job.message
    assert _counts() == before


def test_progress_is_reported_while_the_rows_are_checked(season):
    table = tables.Table(headers=HEADERS, rows=[(n + 2, _row(n)) for n in range(ROWS)])
    heard = []
    imports.check_rows(
        table=table,
        mapping=imports.guess_mapping(HEADERS),
        season=season,
        progress=heard.append,
        progress_every=2,
    )
    assert heard == [2, 4]


def test_the_job_is_queued_with_its_total_before_it_runs(coordinator, season, django_capture_on_commit_callbacks):
    _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    form = coordinator.get(MAPPING).context["form"]
    data = {name: form[name].value() or "" for name in form.fields} | {"import": "1"}
    coordinator.post(MAPPING, data)  # no commit callbacks run: the task is still in the outbox
    job = BackgroundJob.objects.get()
    status = coordinator.get(reverse("background_job_status", args=[job.pk])).json()
    assert (status["status"], status["done"], status["total"], status["percent"]) == ("queued", 0, ROWS, 0)
    from core.models import TaskOutbox

    assert TaskOutbox.objects.filter(task="participants.tasks.import_job_task", kwargs={"job_id": job.pk}).exists()


def test_a_second_run_of_a_finished_import_does_nothing(coordinator, season, eager, django_capture_on_commit_callbacks):
    _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    job = _press(coordinator, "import", django_capture_on_commit_callbacks)
    finished = (job.status, job.finished_at, job.message)
    import_job_run(job_id=job.pk)  # the task delivered again, or resumed after a lost acknowledgement
    job.refresh_from_db()
    assert (job.status, job.finished_at, job.message) == finished
    assert Enrollment.objects.count() == ROWS


def test_a_run_killed_half_way_is_resumed_from_nothing(coordinator, season, django_capture_on_commit_callbacks):
    """A worker killed mid-import left the job «running» at 3/5 and, the import being one transaction, no rows:
    once its lease lapsed (core.jobs), running it again imports every row once."""
    _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    form = coordinator.get(MAPPING).context["form"]
    coordinator.post(MAPPING, {name: form[name].value() or "" for name in form.fields} | {"import": "1"})
    job = BackgroundJob.objects.get()
    lapsed = timezone.now() - timedelta(seconds=settings.BACKGROUND_JOB_LEASE_SECONDS + 1)
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.RUNNING, done=3, heartbeat_at=lapsed)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", ROWS)
    assert Enrollment.objects.count() == ROWS


def test_only_the_starter_and_a_superuser_see_the_job(
    client, coordinator, season, eager, django_capture_on_commit_callbacks, admin_user
):
    _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    job = _press(coordinator, "check", django_capture_on_commit_callbacks)
    pages = [reverse(name, args=[job.pk]) for name in ("background_job", "background_job_status")]
    assert [coordinator.get(url).status_code for url in pages] == [200, 200]
    other = _coordinator(season)  # a coordinator of the same municipality, not the starter
    client.force_login(other)
    assert [client.get(url).status_code for url in pages] == [404, 404]
    client.force_login(admin_user)
    assert [client.get(url).status_code for url in pages] == [200, 200]


def test_a_job_whose_table_is_gone_fails_in_russian(coordinator, season, django_capture_on_commit_callbacks):
    stash = _upload(coordinator, season, [_row(n) for n in range(ROWS)])
    form = coordinator.get(MAPPING).context["form"]
    coordinator.post(MAPPING, {name: form[name].value() or "" for name in form.fields} | {"check": "1"})
    default_storage.delete(stash)  # pruned, say
    job = BackgroundJob.objects.get()
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == "Файл импорта или сезон больше недоступны: загрузите файл снова."


# --- Professional development -------------------------------------------------------------------------------

PD_UPLOAD = reverse("admin:participants_pd_import")
PD_PREVIEW = reverse("admin:participants_pd_import_preview")
PD_HEADERS = ["ФИО", "E-mail", "Программа (курс)", "Организация-провайдер", "Количество часов", "Дата окончания"]
PD_HEADERS += ["Номер удостоверения"]


def _pd_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(PD_HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture
def pd_municipality():
    from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory

    municipality = MunicipalityFactory()
    PersonFactory(
        last_name="Смирнова",
        first_name="Анна",
        middle_name="Сергеевна",
        organisation=OrganisationFactory(municipality=municipality),
        user=None,
        email="anna@school.ru",
    )
    return municipality


def _pd_rows():
    return [
        ["Смирнова Анна Сергеевна", "anna@school.ru", f"Курс {n}", "ИРО", "72", "28.02.2025", f"7700-{n}"]
        for n in range(ROWS)
    ]


def _pd_press(client, municipality, rows, button, capture):
    upload = SimpleUploadedFile("dpo.csv", _pd_csv(rows))
    assert client.post(PD_UPLOAD, {"municipality": municipality.pk, "file": upload})["Location"] == PD_PREVIEW
    page = client.get(PD_PREVIEW)
    assert page.context["background"] is True and page.context["report"] is None  # not checked in the request
    with capture(execute=True):
        response = client.post(PD_PREVIEW, {button: "1"})
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("background_job", args=[job.pk])
    job.refresh_from_db()
    return job


def test_a_long_professional_development_file_is_imported_by_the_worker(
    admin_client, pd_municipality, eager, django_capture_on_commit_callbacks
):
    from participants.models import ProfessionalDevelopment

    job = _pd_press(admin_client, pd_municipality, _pd_rows(), "import", django_capture_on_commit_callbacks)
    assert (job.status, job.done, job.total) == ("done", ROWS, ROWS)
    assert job.message == "Импортировано 5 записей о повышении квалификации."
    assert ProfessionalDevelopment.objects.count() == ROWS
    import_job_run(job_id=job.pk)  # a second run does nothing
    assert ProfessionalDevelopment.objects.count() == ROWS


def test_a_professional_development_error_in_the_last_row_saves_nothing(
    admin_client, pd_municipality, eager, django_capture_on_commit_callbacks
):
    from participants.models import ProfessionalDevelopment

    rows = _pd_rows()
    rows[-1][4] = "много"
    job = _pd_press(admin_client, pd_municipality, rows, "import", django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert job.message.splitlines()[0] == "Найдена 1 ошибка: импорт невозможен, ничего не сохранено."
    assert job.message.splitlines()[1].startswith("Строка 6, «Количество часов»:")
    assert ProfessionalDevelopment.objects.count() == 0
