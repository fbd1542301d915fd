"""The teacher's own check-in with the code shown at the meeting: checkin_open, checkin_submit, the cabinet
section «Отметиться на занятии» and the page /cabinet/sessions/<id>/checkin/."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance, CheckinAttempt, Session
from activities.services import checkin_open, checkin_submit
from participants.models import Enrollment
from tests.factories import AttendanceFactory, EnrollmentFactory, SessionFactory
from tests.faults_support import needs_postgresql, race

from .attendance_fixtures import coordinator_of, expert_of, session_with_participants

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def running():
    """A session that started five minutes ago, its participant and an open code."""
    session, (enrollment,) = session_with_participants(1, starts_at=timezone.now() - timedelta(minutes=5))
    code = checkin_open(session=session, by=coordinator_of(session))
    session.refresh_from_db()
    return session, enrollment, code


def _mark(session, enrollment):
    return Attendance.objects.filter(session=session, enrollment=enrollment).first()


def test_open_gives_a_six_digit_code_and_a_new_one_each_time():
    session, _ = session_with_participants(1)
    expert = expert_of(session.activity.season, role="tech_specialist")

    codes = {checkin_open(session=session, by=expert) for _ in range(5)}

    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 1
    assert Session.objects.get(pk=session.pk).checkin_code in codes


def test_open_is_refused_to_a_teacher_and_after_the_end():
    session, (enrollment,) = session_with_participants(1)
    with pytest.raises(PermissionDenied):
        checkin_open(session=session, by=enrollment.person.user)
    with pytest.raises(ValidationError, match="уже закончилось"):
        checkin_open(session=session, by=coordinator_of(session), now=session.ends_at + timedelta(minutes=1))
    assert Session.objects.get(pk=session.pk).checkin_code == ""


def test_right_code_within_the_window_marks_present_by_the_participant(running):
    session, enrollment, code = running

    mark = checkin_submit(session=session, enrollment=enrollment, code=f" {code[:3]} {code[3:]} ")

    assert (mark.status, mark.source, mark.marked_by_id) == ("present", "self", enrollment.person.pk)
    assert _mark(session, enrollment).status == "present"


def test_from_a_quarter_of_an_hour_before_the_start_and_late_after_ten_minutes(running):
    session, enrollment, code = running
    with pytest.raises(ValidationError, match="за 15 минут до начала"):
        checkin_submit(session=session, enrollment=enrollment, code=code, now=session.starts_at - timedelta(minutes=16))
    assert _mark(session, enrollment) is None

    early = checkin_submit(
        session=session, enrollment=enrollment, code=code, now=session.starts_at - timedelta(minutes=15)
    )
    assert early.status == "present"

    Attendance.objects.all().delete()
    late = checkin_submit(
        session=session, enrollment=enrollment, code=code, now=session.starts_at + timedelta(minutes=11)
    )
    assert late.status == "late"


def test_after_the_end_is_refused(running):
    session, enrollment, code = running
    with pytest.raises(ValidationError, match="Занятие закончилось"):
        checkin_submit(session=session, enrollment=enrollment, code=code, now=session.ends_at + timedelta(seconds=1))
    assert _mark(session, enrollment) is None


def test_wrong_code_is_refused_at_the_field_and_counts_down(running):
    session, enrollment, code = running
    wrong = "000000" if code != "000000" else "111111"

    with pytest.raises(ValidationError) as error:
        checkin_submit(session=session, enrollment=enrollment, code=wrong)

    assert error.value.error_dict["code"][0].messages == ["Неверный код. Осталось попыток: 4."]
    assert _mark(session, enrollment) is None


def test_five_wrong_codes_lock_the_participant_out_even_with_the_right_one(running):
    session, enrollment, code = running
    wrong = "000000" if code != "000000" else "111111"
    other = EnrollmentFactory(season=session.activity.season)
    for _ in range(5):
        with pytest.raises(ValidationError):
            checkin_submit(session=session, enrollment=enrollment, code=wrong)

    with pytest.raises(ValidationError, match="Слишком много неверных попыток"):
        checkin_submit(session=session, enrollment=enrollment, code=code)

    assert _mark(session, enrollment) is None
    assert checkin_submit(session=session, enrollment=other, code=code).status == "present"  # others are not locked


def test_no_code_issued_yet():
    session, (enrollment,) = session_with_participants(1)
    with pytest.raises(ValidationError, match="ещё не выдан"):
        checkin_submit(session=session, enrollment=enrollment, code="123456")


@pytest.mark.parametrize("status", [Enrollment.Status.APPLIED, Enrollment.Status.WITHDRAWN, Enrollment.Status.EXCLUDED])
def test_only_an_active_participant_of_the_season(running, status):
    session, _enrollment, code = running
    outsider = EnrollmentFactory(season=session.activity.season, status=status)
    with pytest.raises(ValidationError, match="только участники программы"):
        checkin_submit(session=session, enrollment=outsider, code=code)
    with pytest.raises(ValidationError, match="только участники программы"):
        checkin_submit(session=session, enrollment=EnrollmentFactory(), code=code)
    assert not Attendance.objects.filter(enrollment__status=status).exists()


def test_an_earlier_present_mark_is_kept_an_absent_one_is_corrected(running):
    session, enrollment, code = running
    kept = AttendanceFactory(session=session, enrollment=enrollment, status="late", source="manual")
    assert checkin_submit(session=session, enrollment=enrollment, code=code).pk == kept.pk
    assert _mark(session, enrollment).source == "manual"

    Attendance.objects.filter(pk=kept.pk).update(status="absent", is_default=True, source="default")
    assert checkin_submit(session=session, enrollment=enrollment, code=code).status == "present"
    assert _mark(session, enrollment).source == "self"


# --- The cabinet section and the check-in page ------------------------------------------------------------


def test_cabinet_shows_the_form_for_a_running_session_with_a_code(client, running):
    session, enrollment, _code = running
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Отметиться на занятии" in html
    assert reverse("session_checkin", args=[session.pk]) in html
    assert session.checkin_code not in html  # the code is never shown to a participant


def test_cabinet_has_no_form_without_a_code_or_outside_the_window(client):
    session, (enrollment,) = session_with_participants(1)
    later, _ = session_with_participants(0, starts_at=timezone.now() + timedelta(hours=2))
    Session.objects.filter(pk=later.pk).update(checkin_code="123456")
    client.force_login(enrollment.person.user)

    assert "Отметиться на занятии" not in client.get(reverse("cabinet")).content.decode()


def test_cabinet_says_when_the_participant_is_marked(client, running):
    session, enrollment, code = running
    checkin_submit(session=session, enrollment=enrollment, code=code)
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Вы отмечены: Присутствовал." in html
    assert reverse("session_checkin", args=[session.pk]) not in html


def test_checkin_page_marks_and_returns_to_the_cabinet(client, running):
    session, enrollment, code = running
    client.force_login(enrollment.person.user)

    response = client.post(reverse("session_checkin", args=[session.pk]), {"code": code}, follow=True)

    assert response.redirect_chain == [(reverse("cabinet"), 302)]
    assert "Вы отмечены на занятии" in response.content.decode()
    assert _mark(session, enrollment).source == "self"


def test_checkin_page_shows_a_wrong_code_at_the_field_and_keeps_it(client, running):
    session, enrollment, code = running
    wrong = "000000" if code != "000000" else "111111"
    client.force_login(enrollment.person.user)

    response = client.post(reverse("session_checkin", args=[session.pk]), {"code": wrong})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Неверный код. Осталось попыток: 4." in html
    assert f'value="{wrong}"' in html
    assert _mark(session, enrollment) is None


def test_checkin_page_for_another_teacher_and_anonymous(client, running):
    session, _enrollment, code = running
    url = reverse("session_checkin", args=[session.pk])

    anonymous = client.post(url, {"code": code})
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]

    client.force_login(EnrollmentFactory().person.user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": code}).status_code == 404
    assert client.get(reverse("session_checkin", args=[session.pk + 1000])).status_code == 404
    assert Attendance.objects.count() == 0


@pytest.fixture
def redis_down(settings):
    """The production cache with its Redis stopped: django-redis ignores the outage, every read is a miss."""
    from tests.faults_support import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    assert not cache.add("probe", 1) and cache.get("probe") is None  # the cache really is gone


def _wrong_code_messages(session, enrollment, wrong, times):
    messages = []
    for _ in range(times):
        with pytest.raises(ValidationError) as error:
            checkin_submit(session=session, enrollment=enrollment, code=wrong)
        messages.append(error.value.messages[0])
    return messages


def test_the_limit_holds_while_redis_is_down(running, redis_down):
    session, enrollment, code = running
    wrong = "000000" if code != "000000" else "111111"

    messages = _wrong_code_messages(session, enrollment, wrong, 8)

    assert messages[:5] == [
        "Неверный код. Осталось попыток: 4.",
        "Неверный код. Осталось попыток: 3.",
        "Неверный код. Осталось попыток: 2.",
        "Неверный код. Осталось попыток: 1.",
        "Неверный код. Попытки закончились: попросите ведущего занятия отметить вас вручную.",
    ]
    assert all("Слишком много неверных попыток" in m for m in messages[5:])
    with pytest.raises(ValidationError, match="Слишком много неверных попыток"):
        checkin_submit(session=session, enrollment=enrollment, code=code)
    assert _mark(session, enrollment) is None


def test_the_count_survives_a_cache_flush(running):
    session, enrollment, code = running
    wrong = "000000" if code != "000000" else "111111"
    _wrong_code_messages(session, enrollment, wrong, 3)
    cache.clear()  # a Redis restart without persistence, an eviction

    assert _wrong_code_messages(session, enrollment, wrong, 1) == ["Неверный код. Осталось попыток: 1."]


def test_the_count_is_per_session(running):
    session, enrollment, code = running
    wrong = "000000" if code != "000000" else "111111"
    _wrong_code_messages(session, enrollment, wrong, 5)
    other = SessionFactory(activity=session.activity, starts_at=session.starts_at, ends_at=session.ends_at)
    other_code = checkin_open(session=other, by=coordinator_of(other))
    other.refresh_from_db()

    assert checkin_submit(session=other, enrollment=enrollment, code=other_code).status == "present"


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_codes_cannot_race_past_the_limit():
    needs_postgresql()
    session, (enrollment,) = session_with_participants(1, starts_at=timezone.now() - timedelta(minutes=5))
    code = checkin_open(session=session, by=coordinator_of(session))
    session.refresh_from_db()
    wrong = "000000" if code != "000000" else "111111"

    def attempt(typed):
        return lambda: checkin_submit(session=session, enrollment=enrollment, code=typed)

    # Eight wrong codes and then the right one, all at the same moment: at most five wrong codes are weighed.
    outcomes = race(*[attempt(wrong) for _ in range(8)], attempt(code))

    assert all(isinstance(o, ValidationError) for o in outcomes[:8]), outcomes
    weighed = [o.messages[0] for o in outcomes[:8] if o.messages[0].startswith("Неверный код")]
    assert CheckinAttempt.objects.get(session=session, enrollment=enrollment).wrong == len(weighed)
    assert len(weighed) == 5  # the others found the limit reached
    # The right code is taken only if it came before the fifth wrong one; after that it is refused too.
    if not isinstance(outcomes[8], Attendance):
        assert "Слишком много неверных попыток" in outcomes[8].messages[0]
        assert _mark(session, enrollment) is None
