"""The teacher's cabinet cache (participants.cabinet_cache): a warm cabinet is read from the cache, and every
committed change of something it shows — the teacher's own rows, rows many cabinets show, set-based writes —
makes it stale; another teacher's change does not. The tests really commit (a transactional test database), as a
request or a job does.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from activities.services import attendance_mark
from participants.cabinet_cache import PERSON_KEY, cabinet_models
from participants.models import Enrollment, Person
from participants.services import enrollments_set_status
from programs.signals import rows_changed
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    RoadmapModuleFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
URL = reverse("cabinet")
WARM = 2  # the session; the user with their person record (participants.backends)


@pytest.fixture(autouse=True)
def _cabinet_cache_on(settings):
    settings.CABINET_CACHE_SECONDS = 60


@pytest.fixture
def season_world():
    """Two teachers active in one season, each with an absence from a past session of one activity."""
    admitted = timezone.now() - timedelta(days=30)  # before the session: both are expected there
    first = EnrollmentFactory(status=Enrollment.Status.ACTIVE, status_changed_at=admitted)
    season = first.season
    second = EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE, status_changed_at=admitted)
    module = RoadmapModuleFactory(season=season)
    activity = ActivityFactory(season=season, module=module, title="Мастерская наставника")
    session = SessionFactory(activity=activity, starts_at=timezone.now() - timedelta(days=2))
    for enrollment in (first, second):
        AttendanceFactory(session=session, enrollment=enrollment, status=Attendance.Status.ABSENT)
    return {"first": first, "second": second, "activity": activity, "session": session, "season": season}


def _client(enrollment) -> Client:
    """A signed-in browser that has opened a page already (it holds the CSRF cookie the cache is keyed by)."""
    client = Client()
    client.force_login(enrollment.person.user)
    client.get(reverse("notifications"))
    return client


def _page(client) -> str:
    """The page's main part: the cabinet's body (the menu around it signs its logout form afresh every time)."""
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def _absences(html: str) -> int:
    return html.count("risk-list__item")


def test_a_warm_cabinet_is_read_from_the_cache(season_world, django_assert_num_queries):
    client = _client(season_world["first"])
    cold = _page(client)
    assert "Мастерская наставника" in cold
    with django_assert_num_queries(WARM):
        warm = _page(client)
    assert warm == cold


def test_the_teachers_own_change_shows_at_once(season_world):
    client = _client(season_world["first"])
    before = _absences(_page(client))
    Attendance.objects.filter(enrollment=season_world["first"]).update(status=Attendance.Status.PRESENT)
    # queryset.update() says nothing: the page may still be the cached one…
    assert _absences(_page(client)) == before
    # …while a row saved the usual way is heard of.
    mark = Attendance.objects.get(enrollment=season_world["first"])
    mark.status = Attendance.Status.PRESENT
    mark.save()
    assert _absences(_page(client)) == before - 1


def test_another_teachers_change_keeps_the_cached_cabinet(season_world, django_assert_num_queries):
    client = _client(season_world["first"])
    cold = _page(client)
    mark = Attendance.objects.get(enrollment=season_world["second"])
    mark.status = Attendance.Status.PRESENT
    mark.save()
    with django_assert_num_queries(WARM):
        assert _page(client) == cold
    # The other teacher sees their own change.
    assert _absences(_page(_client(season_world["second"]))) == _absences(cold) - 1


def test_a_row_many_cabinets_show_makes_every_cabinet_stale(season_world):
    first, second = _client(season_world["first"]), _client(season_world["second"])
    _page(first), _page(second)
    activity = season_world["activity"]
    activity.title = "Мастерская молодого педагога"
    activity.save()
    assert "Мастерская молодого педагога" in _page(first)
    assert "Мастерская молодого педагога" in _page(second)


def test_bulk_attendance_marks_reach_the_people_marked(season_world):
    # Marks written in bulk name their session only: the cabinets of everyone marked there become stale, a
    # teacher of the season without a mark at that session keeps theirs.
    unmarked = EnrollmentFactory(season=season_world["season"], status=Enrollment.Status.ACTIVE)
    client, other = _client(season_world["first"]), _client(unmarked)
    before, other_before = _absences(_page(client)), _page(other)
    coordinator = UserFactory(is_superuser=True, is_staff=True)
    attendance_mark(
        session=season_world["session"],
        marks={season_world["first"].pk: (Attendance.Status.PRESENT, "")},
        by=coordinator,
    )
    assert _absences(_page(client)) == before - 1
    assert _page(other) == other_before


def test_a_set_based_write_makes_every_cabinet_stale(season_world):
    client = _client(season_world["first"])
    cached = _page(client)
    enrollments_set_status(
        enrollments=Enrollment.objects.filter(pk=season_world["first"].pk),
        to_status=Enrollment.Status.WITHDRAWN,
        actor=None,
        reason="Переезд в другой город",
    )
    assert _page(client) != cached
    # Any model the cabinet reads, told by its set-based writer (programs.signals.rows_changed).
    cached = _page(client)
    Person.objects.filter(pk=season_world["first"].person_id).update(last_name="Сидорова")
    assert _page(client) == cached
    with transaction.atomic():
        rows_changed.send(sender=Person)
    assert "Сидорова" in _page(client)


def test_an_uncommitted_or_rolled_back_change_is_not_seen(season_world):
    client = _client(season_world["first"])
    before = _page(client)
    person = season_world["first"].person
    with transaction.atomic():
        person.last_name = "Незаписанная"
        person.save()
        assert _page(client) == before  # not committed yet
    assert "Незаписанная" in _page(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        person.last_name = "Откатанная"
        person.save()
        raise RuntimeError
    assert "Откатанная" not in _page(client)


def test_a_deleted_row_makes_the_cabinet_stale(season_world):
    client = _client(season_world["first"])
    before = _absences(_page(client))
    Attendance.objects.get(enrollment=season_world["first"]).delete()
    assert _absences(_page(client)) == before - 1


def test_an_evicted_version_never_brings_an_older_page_back(season_world):
    client = _client(season_world["first"])
    person = season_world["first"].person
    person.last_name = "Новикова"
    person.save()
    assert "Новикова" in _page(client)
    Person.objects.filter(pk=person.pk).update(last_name="Старикова")  # unheard of
    assert "Новикова" in _page(client)
    cache.delete(PERSON_KEY % person.pk)  # evicted: a fresh version, not an earlier one again
    assert "Старикова" in _page(client)


def test_the_cached_forms_carry_a_token_the_browser_accepts(season_world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(season_world["first"].person.user)
    client.get(reverse("notifications"))
    cold = _page(client)
    warm = _page(client)
    assert warm == cold  # read from the cache, tokens and all
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', warm).group(1)
    # A form of the cached body posts with its token: accepted (the logout view stands in for any form here).
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(season_world["first"].person.user)
    assert forged.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 403
    # A new sign-in rotates the secret: the body is rendered afresh, with a token of the new secret.
    client.force_login(season_world["first"].person.user)
    fresh = _page(client)
    assert re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fresh)


def test_a_client_without_a_csrf_cookie_is_served_fresh_and_stores_nothing(season_world, django_assert_num_queries):
    client = Client()
    client.force_login(season_world["first"].person.user)
    for _ in range(2):
        client.cookies.pop("csrftoken", None)  # a client that keeps no cookie but the session
        with django_assert_num_queries(12):
            assert "Мастерская наставника" in _page(client)
    # The browser that keeps its cookie: computed once, then read.
    _page(client)
    with django_assert_num_queries(WARM):
        _page(client)


def test_languages_are_kept_apart(season_world):
    client = _client(season_world["first"])
    russian = _page(client)
    client.cookies["django_language"] = "en"
    english = _page(client)
    assert "Личный кабинет" in russian and "Личный кабинет" not in english
    client.cookies["django_language"] = "ru"
    assert _page(client) == russian


def test_turned_off_it_renders_every_time(season_world, settings, django_assert_num_queries):
    settings.CABINET_CACHE_SECONDS = 0
    client = _client(season_world["first"])
    _page(client)
    with django_assert_num_queries(12):
        _page(client)


# Rows of these models reach a teacher's cabinet through an enrollment or a person, yet no cabinet section shows
# them: they may change without the cabinet hearing of it.
NOT_IN_THE_CABINET = {
    "participants.personaldatarequest",  # its own page (cabinet/my-data/)
    "participants.notification",  # the menu's counter and its own page
    "participants.professionaldevelopment",  # KPI facts, not shown to the teacher
    "participants.competencediagnostic",
    "participants.managementteammember",
    "participants.staffrosterentry",  # the organisation's staff roster for the order KPIs, never in the cabinet
    "participants.backgroundjob",
    "activities.certificatecounter",
    "activities.checkinattempt",  # the self check-in limit, told on the check-in page itself
    "ratings.reviewassignment",  # experts' bookkeeping, never shown to the teacher
    "ratings.reviewlock",
    "experts.mentoringmeeting",  # the mentor's log of meetings; the cabinet shows the pair, not its meetings
    "experts.expertfeedbackresponse",  # an expert's own quarterly feedback: no teacher's cabinet shows it
    "experts.expertfeedbackanswer",
    # The audit trail: the coordinators' admin and the enrollment's «Журнал изменений», never the cabinet.
    "participants.historicalenrollment",
    "activities.historicalattendance",
    "activities.historicalcertificate",
    "activities.historicalexclusioncase",
    "ratings.historicalreview",
}


def _reaches_a_person(model, seen: tuple = ()) -> bool:
    """Whether a chain of foreign keys leads from the model to a person or an enrollment."""
    for field in model._meta.get_fields():
        if not (field.concrete and (field.many_to_one or field.one_to_one)):
            continue
        target = field.related_model
        if target in (Person, Enrollment):
            return True
        if target._meta.app_label in ("participants", "activities", "experts", "ratings") and target not in seen:
            if _reaches_a_person(target, (*seen, model)):
                return True
    return False


def test_every_model_that_belongs_to_a_teacher_is_declared():
    declared = {model._meta.label_lower for model in cabinet_models()}
    missing = []
    for app in ("participants", "activities", "experts", "ratings"):
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            if model in (Person, Enrollment) or (_reaches_a_person(model) and label not in NOT_IN_THE_CABINET):
                if label not in declared:
                    missing.append(label)
    assert missing == []
