"""The KPI dashboards' cache (reports.kpi_cache) and what makes it stale (reports.invalidation).

A page computed once is read from the cache until a committed change of data a KPI reads bumps the KPI data
version. The tests here really commit (a transactional test database), as a request or a job does.
"""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from activities.deadlines import submissions_mark_late
from activities.models import Attendance
from core.models import Notification
from participants.models import Enrollment
from participants.services import enrollments_set_status
from reports import kpi
from reports.invalidation import KPI_MODELS
from reports.kpi_cache import VERSION_KEY, kpi_data_changed, kpi_data_changed_after_commit, kpi_data_version
from reports.models import KpiTarget
from reports.selectors import dashboard_filters, dashboard_overview
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    PersonFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)
from tests.reports.dashboard_world import FR_DIAG, build_world, coordinator, director, management, pd

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/reports/"
WARM = 5  # session, user with the menu's person (participants.backends), the reader's municipality, the form's seasons and schools


@pytest.fixture
def world():
    return build_world()


def _row(html: str, code: str) -> str:
    start = html.index(f'id="kpi-{code}"')
    return html[start : html.index("</tr>", start)]


def _page(client, url: str = URL, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _season(world):
    year = world["year"]
    return SeasonFactory(program__municipality=world["home"], starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))


@pytest.mark.usefixtures("steady_clock")
def test_a_cold_view_computes_and_a_warm_view_reads_the_cache(client, world, django_assert_num_queries):
    client.force_login(management(world["home"]))
    cold = _page(client)
    assert "25 %" in _row(cold, FR_DIAG) and "1 / 4" in _row(cold, FR_DIAG)
    with django_assert_num_queries(WARM):
        warm = _page(client)
    assert _row(warm, FR_DIAG) == _row(cold, FR_DIAG)


def test_an_uncommitted_change_is_not_seen_until_it_commits(client, world):
    client.force_login(management(world["home"]))
    assert "1 / 4" in _row(_page(client), FR_DIAG)
    with transaction.atomic():
        pd(world["teachers"]["b"], date(world["year"], 5, 1), in_federal_registry=True, based_on_diagnostics=True)
        # Not committed yet: the page still shows the cached number.
        assert "1 / 4" in _row(_page(client), FR_DIAG)
    row = _row(_page(client), FR_DIAG)
    assert "50 %" in row and "2 / 4" in row


def test_a_rolled_back_change_keeps_the_version(world):
    version = kpi_data_version()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            pd(world["teachers"]["b"], date(world["year"], 5, 1), in_federal_registry=True)
            raise RuntimeError("rolled back")
    assert kpi_data_version() == version


def test_a_write_no_kpi_reads_keeps_the_version(world):
    version = kpi_data_version()
    with transaction.atomic():
        Notification.objects.create(user=management(world["home"]), title="Новое сообщение")
    assert kpi_data_version() == version


def test_a_new_target_changes_the_status(client, world):
    client.force_login(management(world["home"]))
    assert "Достигнуто" in _row(_page(client), FR_DIAG)
    with transaction.atomic():
        target = KpiTarget.objects.get(code=FR_DIAG, municipality=world["home"], year=world["year"])
        target.value = 30
        target.save()
    row = _row(_page(client), FR_DIAG)
    assert "не менее 30 %" in row and "Не достигнуто" in row


def test_a_saved_attendance_mark_changes_the_kpi_page(client, world):
    season = _season(world)
    session = SessionFactory(activity=ActivityFactory(season=season), starts_at=timezone.now() - timedelta(days=1))
    present = AttendanceFactory(
        session=session, enrollment=EnrollmentFactory(season=season, person=PersonFactory(organisation=world["s1"]))
    )
    absent = AttendanceFactory(
        session=session,
        enrollment=EnrollmentFactory(season=season, person=PersonFactory(organisation=world["s1"])),
        status=Attendance.Status.ABSENT,
    )
    client.force_login(management(world["home"]))
    assert "1 / 2" in _row(_page(client), "attendance_rate")
    assert "50 %" in _page(client, "/reports/kpi/attendance_rate/")
    with transaction.atomic():
        absent.status = Attendance.Status.LATE
        absent.save()
    assert "2 / 2" in _row(_page(client), "attendance_rate")
    assert "100 %" in _page(client, "/reports/kpi/attendance_rate/")
    with transaction.atomic():
        present.delete()
    assert "1 / 1" in _row(_page(client), "attendance_rate")


def test_the_deadline_jobs_bulk_update_changes_the_numbers(client, world):
    season = _season(world)
    enrollment = EnrollmentFactory(season=season, person=PersonFactory(organisation=world["s1"]))
    due = timezone.now() - timedelta(days=2)
    assignment = VideoAssignmentFactory(activity__season=season, due_at=due, cutoff_at=due + timedelta(days=1))
    SubmissionFactory(assignment=assignment, enrollment=enrollment, submitted_at=due + timedelta(hours=3))
    client.force_login(management(world["home"]))
    assert "1 / 1" in _row(_page(client), "videos_on_time")
    with transaction.atomic():
        assert submissions_mark_late(now=timezone.now()) == 1  # one UPDATE, no post_save
    assert "0 / 1" in _row(_page(client), "videos_on_time")


def test_a_bulk_status_change_changes_the_numbers(client, world):
    season = _season(world)
    enrollments = [EnrollmentFactory(season=season, person=PersonFactory(organisation=world["s1"])) for _ in range(3)]
    client.force_login(management(world["home"]))
    assert "3 чел." in _row(_page(client), "participants_active")
    with transaction.atomic():
        changed, skipped = enrollments_set_status(
            enrollments=enrollments[:2], to_status=Enrollment.Status.EXCLUDED, actor=None, reason="Пропуски"
        )
    assert (changed, skipped) == (2, [])
    assert "1 чел." in _row(_page(client), "participants_active")
    assert "2 чел." in _row(_page(client), "participants_excluded")


def test_readers_of_different_scopes_never_share_numbers(client, world):
    client.force_login(director(world["s1"]))
    assert "1 / 2" in _row(_page(client), FR_DIAG)  # school 1 only
    client.force_login(management(world["home"]))
    assert "1 / 4" in _row(_page(client), FR_DIAG)  # the whole municipality
    client.force_login(coordinator(world["home"]))
    assert "0 / 2" in _row(_page(client, organisation=world["s2"].pk), FR_DIAG)  # school 2 chosen
    client.force_login(management(world["other"]))
    assert "1 / 1" in _row(_page(client), FR_DIAG)  # the neighbouring district
    client.force_login(director(world["s1"]))
    assert "1 / 2" in _row(_page(client), FR_DIAG)
    detail = _page(client, f"/reports/kpi/{FR_DIAG}/")
    assert "Школа № 2" not in detail and "Заречная школа" not in detail


def test_a_language_switch_never_mixes_labels(client, world):
    client.force_login(management(world["home"]))
    assert "Достигнуто" in _row(_page(client), FR_DIAG)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _row(_page(client), FR_DIAG)
    assert "Achieved" in english and "Достигнуто" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert "Достигнуто" in _row(_page(client), FR_DIAG)


def test_the_page_tells_when_the_numbers_were_computed(world):
    user = management(world["home"])
    filters = dashboard_filters(user=user, data={})
    first = timezone.now() - timedelta(minutes=5)
    assert dashboard_overview(filters=filters, now=first).as_of == first
    # Read from the cache: the numbers are still those computed at `first`.
    assert dashboard_overview(filters=filters, now=timezone.now()).as_of == first
    with transaction.atomic():
        pd(world["teachers"]["d"], date(world["year"], 6, 1), in_federal_registry=True)
    later = timezone.now()
    assert dashboard_overview(filters=filters, now=later).as_of == later


def test_the_page_shows_the_computation_time(client, world):
    client.force_login(management(world["home"]))
    html = _page(client)
    stamp = timezone.localtime().strftime("%d.%m.%Y")
    assert f"данные на {stamp} " in html


def test_a_lost_version_never_brings_old_entries_back():
    before = kpi_data_version()
    cache.delete(VERSION_KEY)  # evicted or flushed
    assert kpi_data_version() not in (None, before)
    bumped = kpi_data_version()
    kpi_data_changed()
    assert kpi_data_version() != bumped
    cache.delete(VERSION_KEY)
    kpi_data_changed()  # a bump with no version yet starts a fresh one
    assert kpi_data_version() not in (None, before, bumped)


def test_every_model_the_kpi_engine_reads_invalidates_the_cache():
    read = {
        value
        for value in vars(kpi).values()
        if isinstance(value, type) and issubclass(value, models.Model) and not value._meta.abstract
    }
    assert read and read <= KPI_MODELS, read - KPI_MODELS


def test_a_zero_lifetime_turns_the_cache_off(client, world, settings):
    settings.KPI_CACHE_SECONDS = 0
    client.force_login(management(world["home"]))
    assert "1 / 4" in _row(_page(client), FR_DIAG)
    with transaction.atomic():
        pd(world["teachers"]["b"], date(world["year"], 5, 1), in_federal_registry=True, based_on_diagnostics=True)
        # Not committed, so not reported yet: only a page computed afresh sees this record.
        assert "2 / 4" in _row(_page(client), FR_DIAG)


def test_a_transaction_bumps_the_version_once_whatever_it_writes(world, django_capture_on_commit_callbacks):
    with transaction.atomic(), django_capture_on_commit_callbacks() as callbacks:
        for teacher in ("b", "c", "d"):
            pd(world["teachers"][teacher], date(world["year"], 5, 1), in_federal_registry=True)
    assert [getattr(c, "run", None) for c in callbacks] == [kpi_data_changed_after_commit]


def test_a_rolled_back_savepoint_leaves_the_outer_writes_bump(world, django_capture_on_commit_callbacks):
    version = kpi_data_version()
    with transaction.atomic(), django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            pd(world["teachers"]["b"], date(world["year"], 5, 1), in_federal_registry=True)
            raise RuntimeError("rolled back")
        pd(world["teachers"]["c"], date(world["year"], 5, 1), in_federal_registry=True)
    assert [getattr(c, "run", None) for c in callbacks] == [kpi_data_changed_after_commit]
    assert kpi_data_version() != version
