"""The mentor's meetings with the mentee (Pedkluster 27): the service's date rules, the mentor's page (owner,
another mentor, a teacher, anonymous, hostile ids), the coordinator's admin and the page's query count."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from experts import personal_data as experts_personal_data
from experts.models import ExpertRole, MentoringMeeting, MentoringPair
from experts.services import mentoring_meeting_log, mentoring_pair_create
from participants.models import User
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
PAGE = "expert_mentoring_meetings"


def _today(season):
    return timezone.localdate(timezone=season.tz)


def _pair(season=None, mentor=None, started_days_ago=40):
    season = season or SeasonFactory()
    mentor = mentor or ExpertAssignmentFactory(season=season, role=ExpertRole.MENTOR, person__user=UserFactory())
    return mentoring_pair_create(
        season=season,
        mentor=mentor,
        mentee=EnrollmentFactory(season=season),
        goals="",
        started_on=_today(season) - timedelta(days=started_days_ago),
        by=None,
    )


def _log(pair, **kwargs):
    data = {"held_on": _today(pair.season) - timedelta(days=1), "form": "in_person", "topic": "План на месяц"}
    data.update(kwargs)
    data.setdefault("by", pair.mentor.person.user)
    return mentoring_meeting_log(pair=pair, **data)


# --- service ---------------------------------------------------------------------------------------------


def test_the_mentor_logs_a_meeting():
    pair = _pair()
    meeting = _log(pair, topic="  Разбор урока  ", notes=" Договорились о взаимопосещении ", form="lesson_visit")
    assert (meeting.topic, meeting.notes, meeting.form) == (
        "Разбор урока",
        "Договорились о взаимопосещении",
        "lesson_visit",
    )
    assert meeting.created_by == pair.mentor.person.user


@pytest.mark.parametrize(
    ("shift", "code", "text"),
    [
        (lambda pair: _today(pair.season) + timedelta(days=1), "future", "в будущем"),
        (lambda pair: pair.started_on - timedelta(days=1), "before_start", "раньше начала пары"),
        (lambda pair: date(1, 1, 1), "date_out_of_range", "Укажите дату между"),
        (lambda pair: date(9999, 12, 31), "date_out_of_range", "Укажите дату между"),
    ],
)
def test_a_bad_date_is_refused_in_russian_at_its_field(shift, code, text):
    pair = _pair()
    with pytest.raises(ValidationError) as exc:
        _log(pair, held_on=shift(pair))
    assert set(exc.value.error_dict) == {"held_on"}
    assert exc.value.error_dict["held_on"][0].code == code
    assert text in " ".join(exc.value.messages)
    assert not MentoringMeeting.objects.exists()


def test_a_meeting_after_the_pair_ended_is_refused():
    pair = _pair()
    ended = _today(pair.season) - timedelta(days=10)
    MentoringPair.objects.filter(pk=pair.pk).update(ended_on=ended)
    with pytest.raises(ValidationError, match="позже завершения пары"):
        _log(pair, held_on=ended + timedelta(days=1))
    assert _log(pair, held_on=ended).held_on == ended


def test_an_unknown_form_and_an_empty_topic_are_refused():
    pair = _pair()
    with pytest.raises(ValidationError) as exc:
        _log(pair, form="telepathy", topic="   ")
    assert set(exc.value.error_dict) == {"form", "topic"}


def test_another_mentor_and_a_teacher_may_not_log_but_the_municipalitys_coordinator_may():
    pair = _pair()
    other = ExpertAssignmentFactory(season=pair.season, role=ExpertRole.MENTOR, person__user=UserFactory())
    for user in (other.person.user, pair.mentee.person.user):
        with pytest.raises(ValidationError, match="только наставник этой пары"):
            _log(pair, by=user)
    stranger = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=SeasonFactory().program.municipality)
    with pytest.raises(ValidationError):
        _log(pair, by=stranger)
    own = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=pair.season.program.municipality)
    assert _log(pair, by=own).created_by == own


# --- the mentor's page -----------------------------------------------------------------------------------


def test_the_mentor_sees_the_meetings_and_logs_one(client):
    pair = _pair()
    _log(pair, topic="Знакомство")
    client.force_login(pair.mentor.person.user)
    url = reverse(PAGE, args=[pair.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Знакомство" in page.content.decode()
    day = _today(pair.season) - timedelta(days=2)
    response = client.post(url, {"held_on": day.isoformat(), "form": "remote", "topic": "Подготовка к уроку"})
    assert response.status_code == 302 and response.url == url
    assert MentoringMeeting.objects.filter(
        pair=pair, held_on=day, form="remote", created_by=pair.mentor.person.user
    ).exists()


@pytest.mark.parametrize("held_on", ["0001-01-01", "9999-12-31", "31.02.2025", "", "²"])
def test_bad_dates_on_the_page_answer_in_russian_and_keep_the_topic(client, held_on):
    pair = _pair()
    client.force_login(pair.mentor.person.user)
    response = client.post(
        reverse(PAGE, args=[pair.pk]), {"held_on": held_on, "form": "in_person", "topic": "Тема-маркер"}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["held_on"])
    assert any(word in errors for word in ("Укажите дату", "Введите дату"))
    assert "Тема-маркер" in response.content.decode()
    assert not MentoringMeeting.objects.exists()


def test_a_future_date_on_the_page_is_refused_at_the_field(client):
    pair = _pair()
    client.force_login(pair.mentor.person.user)
    tomorrow = (_today(pair.season) + timedelta(days=1)).isoformat()
    response = client.post(reverse(PAGE, args=[pair.pk]), {"held_on": tomorrow, "form": "in_person", "topic": "Тема"})
    assert response.status_code == 200
    assert "в будущем" in " ".join(response.context["form"].errors["held_on"])
    assert not MentoringMeeting.objects.exists()


def test_another_mentors_pair_a_teacher_and_a_missing_id_get_404(client):
    pair = _pair()
    other = ExpertAssignmentFactory(season=pair.season, role=ExpertRole.MENTOR, person__user=UserFactory())
    url = reverse(PAGE, args=[pair.pk])
    for user in (other.person.user, pair.mentee.person.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"held_on": "2025-01-01", "form": "in_person", "topic": "Чужая"}).status_code == 404
    client.force_login(pair.mentor.person.user)
    for pk in (999_999, 10**40):
        assert client.get(f"/expert/mentoring/{pk}/meetings/").status_code == 404
    assert not MentoringMeeting.objects.exists()


def test_a_mentor_no_longer_in_the_team_gets_404(client):
    pair = _pair()
    pair.mentor.is_active = False
    pair.mentor.save(update_fields=["is_active"])
    client.force_login(pair.mentor.person.user)
    assert client.get(reverse(PAGE, args=[pair.pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    pair = _pair()
    response = client.get(reverse(PAGE, args=[pair.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_pairs_page_links_to_the_meetings(client):
    pair = _pair()
    client.force_login(pair.mentor.person.user)
    assert reverse(PAGE, args=[pair.pk]) in client.get(reverse("expert_mentoring")).content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_the_meetings_page_runs_constant_queries(client, django_assert_num_queries, count):
    pair = _pair(started_days_ago=60)
    for n in range(count):
        _log(pair, held_on=_today(pair.season) - timedelta(days=n + 1), topic=f"Встреча {n}")
    client.force_login(pair.mentor.person.user)
    # session, user, the pair with its people and season, the meetings
    with django_assert_num_queries(4):
        response = client.get(reverse(PAGE, args=[pair.pk]))
    assert len(response.context["meetings"]) == count


# --- the coordinator's admin -----------------------------------------------------------------------------


def _coordinator(municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="experts"))
    return user


def test_the_admin_lists_only_the_municipalitys_meetings_and_adds_through_the_service(client):
    mine, theirs = _pair(), _pair()
    own_meeting, their_meeting = _log(mine, topic="Своя встреча"), _log(theirs, topic="Чужая встреча")
    client.force_login(_coordinator(mine.season.program.municipality))
    changelist = client.get(reverse("admin:experts_mentoringmeeting_changelist"))
    assert list(changelist.context["cl"].result_list) == [own_meeting]
    assert client.get(reverse("admin:experts_mentoringmeeting_change", args=[their_meeting.pk])).status_code == 302
    day = _today(mine.season) - timedelta(days=3)
    data = {"pair": mine.pk, "held_on": day.isoformat(), "form": "consultation", "topic": "Консультация"}
    assert client.post(reverse("admin:experts_mentoringmeeting_add"), data).status_code == 302
    assert MentoringMeeting.objects.filter(pair=mine, held_on=day, form="consultation").exists()
    refused = client.post(reverse("admin:experts_mentoringmeeting_add"), {**data, "pair": theirs.pk})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors["pair"]
    assert not MentoringMeeting.objects.filter(pair=theirs, form="consultation").exists()


@pytest.mark.parametrize("held_on", ["0001-01-01", "9999-12-31"])
def test_the_admin_refuses_dates_out_of_bounds_and_before_the_pair(client, held_on):
    pair = _pair()
    client.force_login(_coordinator(pair.season.program.municipality))
    url = reverse("admin:experts_mentoringmeeting_add")
    for value in (held_on, (pair.started_on - timedelta(days=1)).isoformat()):
        response = client.post(url, {"pair": pair.pk, "held_on": value, "form": "in_person", "topic": "Тема"})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["held_on"]
    assert not MentoringMeeting.objects.exists()


# --- the mentee's personal data (152-FZ, art. 14 and 21) -------------------------------------------------------


def test_the_mentees_export_holds_the_meetings_and_erasure_clears_the_notes_only():
    pair = _pair()
    _log(pair, topic="Разбор урока", notes="Тревожится перед аттестацией")
    person = pair.mentee.person
    [row] = experts_personal_data.export_mentoring_meetings(person)
    assert (row["Тема"], row["Заметки"], row["Форма"]) == ("Разбор урока", "Тревожится перед аттестацией", "Очно")
    assert any(
        "заметки о встречах с наставником (1)" in line for line in experts_personal_data.erase_expert_records(person)
    )
    meeting = MentoringMeeting.objects.get()
    assert (meeting.topic, meeting.notes) == ("Разбор урока", "")
