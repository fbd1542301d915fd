"""activities.filters.AttendanceSessionFilterSet on /expert/sessions/: `?defaults=1` keeps the sessions with
unconfirmed default marks (п. 4.4, 5.5); another value is a Russian warning and the whole list; another
municipality's sessions never appear whatever the filter."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.filters import AttendanceSessionFilterSet
from activities.models import ActivityAudience
from activities.selectors_attendance import attendance_sessions_for
from tests.factories import ActivityFactory, AttendanceFactory, EnrollmentFactory, SessionFactory

from .attendance_fixtures import coordinator_of

pytestmark = pytest.mark.django_db
URL = reverse("attendance_sessions")


@pytest.fixture
def world():
    starts = timezone.now() - timedelta(days=3)
    activity = ActivityFactory(is_mandatory=False, audience=ActivityAudience.FORMAT, learning_format="Формат")
    with_defaults = SessionFactory(activity=activity, starts_at=starts, ends_at=starts + timedelta(hours=2))
    teacher = EnrollmentFactory(
        season=activity.season, preferred_format="Формат", status_changed_at=starts - timedelta(days=10)
    )
    AttendanceFactory(session=with_defaults, enrollment=teacher, status="absent", is_default=True, source="default")
    plain = SessionFactory(
        activity=ActivityFactory(season=activity.season), starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    foreign = SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))  # another municipality
    return {"with_defaults": with_defaults, "plain": plain, "foreign": foreign, "user": coordinator_of(plain)}


def ids(response) -> set[int]:
    assert response.status_code == 200
    return {row["session"].pk for row in response.context["rows"]}


def test_the_filter_narrows(world):
    sessions = attendance_sessions_for(world["user"], now=timezone.now())
    assert {s.pk for s in AttendanceSessionFilterSet(None, sessions).qs} == {
        world["with_defaults"].pk,
        world["plain"].pk,
    }
    only = AttendanceSessionFilterSet({"defaults": "1"}, sessions)
    assert {s.pk for s in only.qs} == {world["with_defaults"].pk} and only.only_defaults


def test_the_page_keeps_the_choice(client, world):
    client.force_login(world["user"])
    response = client.get(URL, {"defaults": "1"})
    assert ids(response) == {world["with_defaults"].pk}
    assert response.context["only_defaults"]
    assert 'href="/expert/sessions/?defaults=1" aria-current="page"' in response.content.decode()


@pytest.mark.parametrize("value", ["0", "2", "да", "²", "9" * 40, "<script>"])
def test_another_value_is_a_russian_warning_and_the_whole_list(client, world, value):
    client.force_login(world["user"])
    response = client.get(URL, {"defaults": value})
    assert ids(response) == {world["with_defaults"].pk, world["plain"].pk}
    assert not response.context["only_defaults"]
    assert "Такого отбора занятий нет; показаны все занятия." in response.content.decode()
