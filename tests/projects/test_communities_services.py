"""The communities' services: the five-member rule, members and leader, meetings, reports, the bank and its
ratings, hiding, cascade training, the «Prof-акселератор» invitations and the points by the portal's defaults."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.models import ActivityAudience, ActivityKind, Attendance
from participants.models import Consent
from projects.models import Community, CommunityMember, CommunityReport, CommunityRole, MotivationScale
from projects.selectors_communities import board, communities_of_season, motivation_scale, my_points
from projects.services_communities import (
    accelerator_invite_leaders,
    cascade_training_schedule,
    community_leader_set,
    community_meeting_schedule,
    community_member_add,
    community_member_leave,
    community_report_accept,
    community_report_plan,
    community_report_submit,
    community_status_set,
    practice_add,
    practice_hide,
    practice_rate,
)
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    RoadmapModuleFactory,
    SessionFactory,
)

from .communities_fixtures import JOINED, community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Moscow")
MEETING = datetime(2024, 10, 15, 16, 0, tzinfo=TZ)
AFTER = MEETING + timedelta(days=2)


@pytest.fixture
def season():
    return season_of()


@pytest.fixture
def coordinator(season):
    return coordinator_of(season)


def _user(member):
    return member.enrollment.person.user


# --- The five-member rule (сид 001, сноска: «пяти и более человек») -------------------------------------------------


def test_community_with_four_members_cannot_be_marked_active(season, coordinator):
    community, _members = community_with(season, 4)
    with pytest.raises(ValidationError) as refused:
        community_status_set(community=community, status=Community.Status.ACTIVE, by=coordinator, today=AFTER.date())
    assert "Не набран состав" in str(refused.value)
    community.refresh_from_db()
    assert community.status == Community.Status.FORMING


def test_community_with_five_members_is_marked_active(season, coordinator):
    community, _members = community_with(season, 5)
    community_status_set(community=community, status=Community.Status.ACTIVE, by=coordinator, today=AFTER.date())
    community.refresh_from_db()
    assert community.status == Community.Status.ACTIVE


def test_a_member_who_left_does_not_count(season, coordinator):
    community, members = community_with(season, 5)
    community_member_leave(member=members[4], left_on=date(2024, 10, 1), by=coordinator)
    with pytest.raises(ValidationError):
        community_status_set(community=community, status=Community.Status.ACTIVE, by=coordinator, today=AFTER.date())
    row = communities_of_season(season).get()
    assert row.active_count == 4


def test_teacher_cannot_set_status(season):
    community, members = community_with(season, 5)
    with pytest.raises(PermissionDenied):
        community_status_set(community=community, status=Community.Status.ACTIVE, by=_user(members[0]))


def test_coordinator_of_another_municipality_cannot_set_status(season):
    community, _members = community_with(season, 5)
    other = coordinator_of(season_of(MunicipalityFactory(name="Фрунзенский район"), slug="other"))
    with pytest.raises(PermissionDenied):
        community_status_set(community=community, status=Community.Status.ACTIVE, by=other)


# --- Members and leader ---------------------------------------------------------------------------------------------


def test_member_of_another_season_is_refused(season, coordinator):
    community, _members = community_with(season, 1)
    stranger = EnrollmentFactory()
    with pytest.raises(ValidationError):
        community_member_add(
            community=community, enrollment=stranger, role=CommunityRole.MENTOR, joined_on=JOINED, by=coordinator
        )


def test_leader_must_be_an_active_member(season, coordinator):
    community, members = community_with(season, 2, leader=False)
    community_member_leave(member=members[1], left_on=date(2024, 10, 1), by=coordinator)
    with pytest.raises(ValidationError):
        community_leader_set(community=community, enrollment=members[1].enrollment, by=coordinator)
    community_leader_set(community=community, enrollment=members[0].enrollment, by=coordinator)
    assert Community.objects.get(pk=community.pk).leader_id == members[0].enrollment_id


# --- Meetings are sessions with the members invited ------------------------------------------------------------------


def test_meeting_is_an_invited_session_of_the_community_activity(season, coordinator):
    community, members = community_with(season, 5)
    community_member_leave(member=members[4], left_on=date(2024, 10, 1), by=coordinator)
    session = community_meeting_schedule(
        community=community, starts_at=MEETING, ends_at=MEETING + timedelta(hours=2), by=_user(members[0])
    )
    activity = session.activity
    assert activity.kind == ActivityKind.COMMUNITY_MEETING
    assert activity.audience == ActivityAudience.INVITED
    assert set(session.invited.values_list("pk", flat=True)) == {m.enrollment_id for m in members[:4]}
    second = community_meeting_schedule(
        community=community, starts_at=AFTER, ends_at=AFTER + timedelta(hours=1), by=coordinator
    )
    assert second.activity_id == activity.pk


def test_a_plain_member_cannot_schedule_a_meeting(season):
    community, members = community_with(season, 5)
    with pytest.raises(PermissionDenied):
        community_meeting_schedule(
            community=community, starts_at=MEETING, ends_at=MEETING + timedelta(hours=1), by=_user(members[1])
        )


# --- Reports (сид 001, «Определение целей и отчетности») ------------------------------------------------------------


def test_leader_submits_and_coordinator_accepts_the_report(season, coordinator):
    community, members = community_with(season, 5)
    report = community_report_plan(community=community, year=2024, half=2, due_on=date(2024, 12, 25), by=coordinator)
    with pytest.raises(PermissionDenied):
        community_report_submit(report=report, text="Отчёт", by=_user(members[1]))
    with pytest.raises(ValidationError):
        community_report_submit(report=report, text="  ", by=_user(members[0]))
    file = SimpleUploadedFile("otchet.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    community_report_submit(report=report, text="Провели 4 встречи", file=file, by=_user(members[0]))
    with pytest.raises(PermissionDenied):
        community_report_accept(report=report, by=_user(members[0]))
    community_report_accept(report=report, by=coordinator)
    report = CommunityReport.objects.get(pk=report.pk)
    assert report.submitted_by_id == members[0].enrollment_id and report.accepted_by_id == coordinator.pk
    with pytest.raises(ValidationError):
        community_report_submit(report=report, text="Поправка", by=_user(members[0]))


# --- The bank: a rating once, never one's own ------------------------------------------------------------------------


def _practice(community, member):
    return practice_add(
        community=community,
        kind="practice",
        title="Урок-исследование",
        description="Описание практики",
        link="https://example.ru/praktika",
        by=_user(member),
    )


def test_member_rates_another_members_practice_once(season):
    community, members = community_with(season, 5)
    practice = _practice(community, members[0])
    practice_rate(practice=practice, score=5, comment="Полезно", by=_user(members[1]))
    with pytest.raises(ValidationError) as again:
        practice_rate(practice=practice, score=4, by=_user(members[1]))
    assert "уже оценили" in str(again.value)


def test_own_practice_cannot_be_rated(season):
    community, members = community_with(season, 5)
    practice = _practice(community, members[0])
    with pytest.raises(ValidationError) as own:
        practice_rate(practice=practice, score=5, by=_user(members[0]))
    assert "Свой материал" in str(own.value)


def test_member_of_another_community_of_the_season_may_rate(season):
    community, members = community_with(season, 5)
    _other, other_members = community_with(season, 5, name="Сообщество наставников")
    practice = _practice(community, members[0])
    practice_rate(practice=practice, score=3, by=_user(other_members[2]))
    assert practice.ratings.get().score == 3


def test_a_teacher_outside_the_communities_cannot_add_or_rate(season):
    community, members = community_with(season, 5)
    outsider = EnrollmentFactory(season=season)
    practice = _practice(community, members[0])
    with pytest.raises(PermissionDenied):
        practice_rate(practice=practice, score=5, by=outsider.person.user)
    with pytest.raises(PermissionDenied):
        _practice(community, CommunityMember(enrollment=outsider))


def test_practice_needs_a_link_or_a_file(season):
    community, members = community_with(season, 5)
    with pytest.raises(ValidationError):
        practice_add(community=community, kind="material", title="Т", description="О", by=_user(members[0]))


def test_coordinator_hides_with_a_reason(season, coordinator):
    community, members = community_with(season, 5)
    practice = _practice(community, members[0])
    with pytest.raises(ValidationError):
        practice_hide(practice=practice, reason=" ", by=coordinator)
    with pytest.raises(PermissionDenied):
        practice_hide(practice=practice, reason="Нарушены авторские права", by=_user(members[1]))
    practice_hide(practice=practice, reason="Нарушены авторские права", by=coordinator)
    with pytest.raises(ValidationError):
        practice_rate(practice=practice, score=5, by=_user(members[1]))


# --- Cascade training and the accelerator ----------------------------------------------------------------------------


def test_cascade_training_invites_trainees_and_the_leader_leads(season, coordinator):
    community, members = community_with(season, 5)
    trainees = [EnrollmentFactory(season=season) for _ in range(3)]
    training = cascade_training_schedule(
        community=community,
        trainer=members[0].enrollment,
        title="Формирующее оценивание на уроке",
        starts_at=MEETING,
        ends_at=MEETING + timedelta(hours=2),
        trainees=trainees,
        by=_user(members[0]),
    )
    assert training.session.activity.audience == ActivityAudience.INVITED
    assert set(training.session.invited.values_list("pk", flat=True)) == {t.pk for t in trainees}
    with pytest.raises(ValidationError):
        cascade_training_schedule(
            community=community,
            trainer=members[1].enrollment,  # a plain «участник», not of the active
            title="Ещё занятие",
            starts_at=MEETING,
            ends_at=MEETING + timedelta(hours=2),
            trainees=trainees,
            by=coordinator,
        )


def test_accelerator_invites_the_leaders_to_the_module_sessions(season, coordinator):
    community, members = community_with(season, 5)
    _second, second_members = community_with(season, 5, name="Сообщество тьюторов")
    module = RoadmapModuleFactory(season=season, title="«Prof-акселератор»")
    invited = ActivityFactory(season=season, module=module, audience=ActivityAudience.INVITED)
    everyone = ActivityFactory(season=season, module=module, audience=ActivityAudience.ALL)
    session = SessionFactory(activity=invited)
    SessionFactory(activity=everyone)
    assert accelerator_invite_leaders(module=module, by=coordinator) == 2
    assert set(session.invited.values_list("pk", flat=True)) == {
        members[0].enrollment_id,
        second_members[0].enrollment_id,
    }
    assert accelerator_invite_leaders(module=module, by=coordinator) == 0


# --- Points by the portal's defaults, and the board's consent --------------------------------------------------------


def _scored_world(season, coordinator):
    community, members = community_with(season, 5)
    leader, rater = members[0], members[1]
    practice = _practice(community, leader)  # leader: +5
    practice_rate(practice=practice, score=5, by=_user(rater))  # rater: +1
    meeting = community_meeting_schedule(
        community=community, starts_at=MEETING, ends_at=MEETING + timedelta(hours=2), by=coordinator
    )
    Attendance.objects.create(session=meeting, enrollment=leader.enrollment, status=Attendance.Status.PRESENT)  # +2
    Attendance.objects.create(session=meeting, enrollment=rater.enrollment, status=Attendance.Status.ABSENT)  # 0
    trainee = EnrollmentFactory(season=season)
    training = cascade_training_schedule(
        community=community,
        trainer=leader.enrollment,
        title="Каскад",
        starts_at=MEETING,
        ends_at=MEETING + timedelta(hours=1),
        trainees=[trainee],
        by=coordinator,
    )
    Attendance.objects.create(session=training.session, enrollment=trainee, status=Attendance.Status.PRESENT)  # +10
    report = community_report_plan(community=community, year=2024, half=2, due_on=date(2024, 12, 25), by=coordinator)
    community_report_submit(report=report, text="Отчёт", by=_user(leader))  # +5
    return community, leader, rater


def test_points_by_the_portal_defaults(season, coordinator):
    _community, leader, rater = _scored_world(season, coordinator)
    row, scale = my_points(leader.enrollment, now=AFTER)
    assert scale.is_default
    assert (row.practices_added, row.meetings_attended, row.groups_trained, row.reports_submitted) == (1, 1, 1, 1)
    assert row.points == 5 + 2 + 10 + 5
    assert scale.level(row.points) == "Актив сообщества"
    rater_row, _scale = my_points(rater.enrollment, now=AFTER)
    assert rater_row.points == 1


def test_training_counts_only_after_it_was_held(season, coordinator):
    _community, leader, _rater = _scored_world(season, coordinator)
    row, _scale = my_points(leader.enrollment, now=MEETING)
    assert row.groups_trained == 0


def test_points_follow_the_season_scale(season, coordinator):
    _community, leader, _rater = _scored_world(season, coordinator)
    MotivationScale.objects.create(season=season, practice_added=10, group_trained=0)
    row, scale = my_points(leader.enrollment, now=AFTER)
    assert not scale.is_default
    assert row.points == 10 + 2 + 0 + 5
    assert motivation_scale(season).practice_added == 10


def test_board_publishes_a_name_only_with_consent(season, coordinator):
    _community, leader, rater = _scored_world(season, coordinator)
    Consent.objects.create(
        person=rater.enrollment.person, kind=Consent.Kind.RATING_PUBLICATION, text_version="1", text_sha256="0" * 64
    )
    rows, _scale = board(season, now=AFTER)
    rows = list(rows)
    assert rows[0].pk == leader.enrollment_id and rows[0].published is False
    by_pk = {r.pk: r for r in rows}
    assert by_pk[rater.enrollment_id].published is True
