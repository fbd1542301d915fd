"""Mentoring pairs: the service's rules, the coordinator's admin and mentor map, and the mentor's page."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole, MentoringPair
from experts.services import mentoring_meeting_log, mentoring_pair_create, mentoring_pair_end
from participants.models import Enrollment, User
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _mentor(season, **kwargs):
    kwargs.setdefault("person__user", UserFactory())
    return ExpertAssignmentFactory(season=season, role=ExpertRole.MENTOR, **kwargs)


def _pair(mentor=None, mentee=None, **kwargs):
    season = (mentor or mentee).season if (mentor or mentee) else SeasonFactory()
    mentor = mentor or _mentor(season)
    mentee = mentee or EnrollmentFactory(season=season)
    data = {"goals": "Адаптация в профессии", "started_on": TODAY() - timedelta(days=60), "by": None}
    data.update(kwargs)
    return mentoring_pair_create(season=season, mentor=mentor, mentee=mentee, **data)


def _coordinator(municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["experts", "participants"]))
    return user


# --- service ---------------------------------------------------------------------------------------------


def test_a_mentor_and_an_active_participant_of_the_season_are_paired():
    pair = _pair(goals="  Адаптация в профессии  ")
    assert pair.pk and pair.ended_on is None
    assert pair.goals == "Адаптация в профессии"
    assert pair.mentee.season_id == pair.season_id == pair.mentor.season_id


def _error_field(exc_info) -> set[str]:
    return set(exc_info.value.error_dict)


def test_a_mentor_of_another_season_is_refused_at_the_mentor_field():
    mentee = EnrollmentFactory()
    with pytest.raises(ValidationError) as exc:
        mentoring_pair_create(
            season=mentee.season, mentor=_mentor(SeasonFactory()), mentee=mentee, goals="", started_on=TODAY(), by=None
        )
    assert _error_field(exc) == {"mentor"}
    assert "другом сезоне" in str(exc.value)


@pytest.mark.parametrize("kwargs", [{"role": ExpertRole.CURATOR}, {"is_active": False}])
def test_only_an_active_mentor_may_be_paired(kwargs):
    mentee = EnrollmentFactory()
    expert = ExpertAssignmentFactory(season=mentee.season, **{"role": ExpertRole.MENTOR, **kwargs})
    with pytest.raises(ValidationError) as exc:
        mentoring_pair_create(season=mentee.season, mentor=expert, mentee=mentee, goals="", started_on=TODAY(), by=None)
    assert _error_field(exc) == {"mentor"}


@pytest.mark.parametrize("status", [Enrollment.Status.APPLIED, Enrollment.Status.WITHDRAWN])
def test_only_an_active_participant_may_be_a_mentee(status):
    mentee = EnrollmentFactory(status=status)
    with pytest.raises(ValidationError) as exc:
        _pair(mentor=_mentor(mentee.season), mentee=mentee)
    assert _error_field(exc) == {"mentee"}


def test_a_mentee_of_another_season_is_refused():
    mentor = _mentor(SeasonFactory())
    with pytest.raises(ValidationError) as exc:
        _pair(mentor=mentor, mentee=EnrollmentFactory())
    assert _error_field(exc) == {"mentee"}


def test_a_duplicate_and_a_second_active_pair_are_refused_and_an_ended_pair_frees_the_mentee():
    first = _pair()
    with pytest.raises(ValidationError, match="Такая пара уже есть"):
        _pair(mentor=first.mentor, mentee=first.mentee)
    other_mentor = _mentor(first.season)
    with pytest.raises(ValidationError, match="уже есть действующая"):
        _pair(mentor=other_mentor, mentee=first.mentee)
    mentoring_pair_end(pair=first, ended_on=TODAY(), by=None)
    second = _pair(mentor=other_mentor, mentee=first.mentee)
    assert MentoringPair.objects.filter(mentee=first.mentee, ended_on__isnull=True).get() == second


def test_ending_checks_the_date_and_ends_once():
    pair = _pair()
    with pytest.raises(ValidationError) as exc:
        mentoring_pair_end(pair=pair, ended_on=pair.started_on - timedelta(days=1), by=None)
    assert _error_field(exc) == {"ended_on"}
    mentoring_pair_end(pair=pair, ended_on=TODAY(), by=None)
    pair.refresh_from_db()
    assert pair.ended_on == TODAY()
    with pytest.raises(ValidationError, match="уже завершена"):
        mentoring_pair_end(pair=pair, ended_on=TODAY(), by=None)


def test_a_coordinator_of_another_municipality_cannot_pair_or_end():
    mentee = EnrollmentFactory()
    stranger = _coordinator(SeasonFactory().program.municipality)
    with pytest.raises(ValidationError, match="другому муниципалитету"):
        _pair(mentee=mentee, by=stranger)
    pair = _pair(mentee=mentee)
    with pytest.raises(ValidationError, match="другому муниципалитету"):
        mentoring_pair_end(pair=pair, ended_on=TODAY(), by=stranger)
    own = _coordinator(mentee.season.program.municipality)
    assert mentoring_pair_end(pair=pair, ended_on=TODAY(), by=own).ended_on == TODAY()


# --- admin -----------------------------------------------------------------------------------------------

ADD = "admin:experts_mentoringpair_add"


def _add_data(season, mentor, mentee, **extra):
    return {
        "season": season.pk,
        "mentor": mentor.pk,
        "mentee": mentee.pk,
        "goals": "Подготовка к конкурсу",
        "started_on": TODAY().isoformat(),
        **extra,
    }


def test_admin_add_form_creates_a_pair_through_the_service(client):
    mentee = EnrollmentFactory()
    mentor = _mentor(mentee.season)
    client.force_login(_coordinator(mentee.season.program.municipality))
    response = client.post(reverse(ADD), _add_data(mentee.season, mentor, mentee))
    assert response.status_code == 302
    pair = MentoringPair.objects.get()
    assert (pair.mentor, pair.mentee, pair.goals) == (mentor, mentee, "Подготовка к конкурсу")


def test_admin_add_form_reports_a_wrong_mentor_at_its_field_and_keeps_the_goals(client):
    mentee = EnrollmentFactory()
    curator = ExpertAssignmentFactory(season=mentee.season, role=ExpertRole.CURATOR)
    client.force_login(_coordinator(mentee.season.program.municipality))
    response = client.post(reverse(ADD), _add_data(mentee.season, curator, mentee))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "только наставник" in " ".join(form.errors["mentor"])
    assert "Подготовка к конкурсу" in response.content.decode()
    assert not MentoringPair.objects.exists()


def test_admin_changelist_is_scoped_to_the_coordinators_municipality(client):
    mine, theirs = _pair(), _pair()
    client.force_login(_coordinator(mine.season.program.municipality))
    response = client.get(reverse("admin:experts_mentoringpair_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]
    assert client.get(reverse("admin:experts_mentoringpair_change", args=[theirs.pk])).status_code == 302


def test_admin_end_action_ends_selected_pairs(client):
    pair = _pair()
    client.force_login(_coordinator(pair.season.program.municipality))
    client.post(
        reverse("admin:experts_mentoringpair_changelist"), {"action": "end_today", "_selected_action": [pair.pk]}
    )
    pair.refresh_from_db()
    assert pair.ended_on == TODAY()


def test_the_mentor_map_lists_mentors_with_mentees_and_the_unpaired(client):
    pair = _pair()
    season = pair.season
    idle_mentor = _mentor(season)
    unpaired = EnrollmentFactory(season=season)
    _pair()  # another municipality's season stays out of the list
    client.force_login(_coordinator(season.program.municipality))
    response = client.get(reverse("admin:experts_mentoringpair_map"))
    assert response.status_code == 200
    assert response.context["seasons"] == [season]
    page = response.content.decode()
    assert pair.mentor.person.full_name in page and pair.mentee.person.full_name in page
    assert idle_mentor.person.full_name in page and "Пока без наставляемых" in page
    assert [e.pk for e in response.context["unpaired"]] == [unpaired.pk]


def test_the_mentor_map_is_refused_without_view_permission(client):
    pair = _pair()
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=pair.season.program.municipality)
    client.force_login(user)
    assert client.get(reverse("admin:experts_mentoringpair_map")).status_code == 403


# --- the mentor's page -----------------------------------------------------------------------------------

PAGE = "expert_mentoring"


def test_the_mentor_sees_pairs_with_attendance_and_submissions(client):
    pair = _pair()
    AttendanceFactory(enrollment=pair.mentee, session=SessionFactory(activity__season=pair.season))
    AttendanceFactory(enrollment=pair.mentee, session=SessionFactory(activity__season=pair.season), status="absent")
    SubmissionFactory(enrollment=pair.mentee, assignment__activity__season=pair.season)
    client.force_login(pair.mentor.person.user)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    [shown] = response.context["active"]
    assert (shown.attended, shown.submitted) == (1, 1)
    assert pair.mentee.person.full_name in response.content.decode()


def test_a_pair_without_a_meeting_for_thirty_days_is_flagged(client):
    pair = _pair(started_on=TODAY() - timedelta(days=90))
    mentoring_meeting_log(
        pair=pair, held_on=TODAY() - timedelta(days=45), form="in_person", topic="Знакомство", by=None
    )
    recent = timezone.now() - timedelta(days=2)  # the mentee's own activity is no meeting with the mentor
    AttendanceFactory(
        enrollment=pair.mentee,
        session=SessionFactory(activity__season=pair.season, starts_at=recent, ends_at=recent + timedelta(hours=1)),
    )
    client.force_login(pair.mentor.person.user)
    response = client.get(reverse(PAGE))
    assert response.context["active"][0].quiet is True
    page = response.content.decode()
    assert "Нет встреч наставника с наставляемым 30 дней" in page and "свяжитесь с наставляемым" in page


def test_another_mentor_does_not_see_my_pairs_and_a_teacher_gets_404(client):
    pair = _pair()
    other = _mentor(pair.season)
    client.force_login(other.person.user)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    assert response.context["active"] == []
    assert pair.mentee.person.full_name not in response.content.decode()
    client.force_login(pair.mentee.person.user)
    assert client.get(reverse(PAGE)).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_mentor_page_runs_constant_queries(client, django_assert_num_queries, count):
    mentor = _mentor(SeasonFactory())
    for _ in range(count):
        pair = _pair(mentor=mentor)
        AttendanceFactory(enrollment=pair.mentee, session=SessionFactory(activity__season=pair.season))
    client.force_login(mentor.person.user)
    # session, user with person, assignments, pairs with their counts
    with django_assert_num_queries(4):
        response = client.get(reverse(PAGE))
    assert len(response.context["active"]) == count
