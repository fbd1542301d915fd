"""Seed 003 (приказ № 223/1 от 17.05.2022, «Педкластер 27»), ожидаемые результаты, п. 5: «общеобразовательные
организации реализуют целевую модель наставничества педагогических работников». A mentoring pair runs while its
mentee takes part: a withdrawal or an exclusion ends it on that day (the season's calendar), in the same
transaction; reinstatement does not reopen it. The mentor map counts running pairs of active mentees only, and a
pair with no meeting of mentor and mentee logged in 30 days is flagged «нет встреч наставника с наставляемым»."""

import importlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole, MentoringPair
from experts.selectors_tutor_mentor import QUIET_DAYS, mentor_pairs, season_mentor_map
from experts.services import mentoring_meeting_log, mentoring_pair_create, mentoring_pairs_end_for_leavers
from participants.models import Enrollment, EnrollmentStatusChange, User
from participants.services import enrollment_exclude, enrollment_reinstate, enrollment_withdraw, enrollments_set_status
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

VLADIVOSTOK = "Asia/Vladivostok"  # Верхнебуреинский район, Хабаровский край: UTC+10


def _season(**kwargs):
    kwargs.setdefault("time_zone", VLADIVOSTOK)
    return SeasonFactory(starts_on=date(2024, 9, 1), ends_on=date(2025, 6, 30), **kwargs)


def _mentor(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.MENTOR, person__user=UserFactory())


def _pair(season, mentor=None, started_on=date(2024, 9, 10), **mentee):
    return mentoring_pair_create(
        season=season,
        mentor=mentor or _mentor(season),
        mentee=EnrollmentFactory(season=season, **mentee),
        goals="Адаптация молодого педагога",
        started_on=started_on,
        by=None,
    )


def _left_on(enrollment) -> date:
    change = EnrollmentStatusChange.objects.filter(enrollment=enrollment).latest("changed_at")
    return timezone.localdate(change.changed_at, timezone=enrollment.season.tz)


@pytest.mark.parametrize("leave", [enrollment_withdraw, enrollment_exclude])
def test_the_pair_ends_on_the_day_its_mentee_leaves(leave):
    season = _season()
    pair = _pair(season, started_on=timezone.localdate() - timedelta(days=20))
    leave(enrollment=pair.mentee, actor=None, reason="Заявление педагога")
    pair.refresh_from_db()
    assert pair.ended_on == _left_on(pair.mentee)


def test_a_bulk_exclusion_ends_every_pair_of_the_excluded_and_no_other():
    season = _season()
    mentor = _mentor(season)
    leaving = [_pair(season, mentor) for _n in range(3)]
    staying = _pair(season, mentor)
    changed, skipped = enrollments_set_status(
        enrollments=[p.mentee for p in leaving], to_status=Enrollment.Status.EXCLUDED, actor=None, reason="п. 5.5"
    )
    assert (changed, skipped) == (3, [])
    ended = dict(MentoringPair.objects.values_list("pk", "ended_on"))
    assert {ended[p.pk] for p in leaving} == {_left_on(leaving[0].mentee)}
    assert ended[staying.pk] is None


def test_the_end_date_is_the_seasons_local_day_of_the_change():
    season = _season()
    pair = _pair(season)
    pair.mentee.status = Enrollment.Status.WITHDRAWN
    # 14.03.2025 20:30 UTC is already 15.03.2025 in Chegdomyn.
    ended = mentoring_pairs_end_for_leavers(
        enrollments=[pair.mentee],
        to_status=Enrollment.Status.WITHDRAWN,
        changed_at=datetime(2025, 3, 14, 20, 30, tzinfo=UTC),
    )
    pair.refresh_from_db()
    assert (ended, pair.ended_on) == (1, date(2025, 3, 15))


def test_a_pair_ending_later_is_brought_forward_and_one_already_ended_is_kept():
    season = _season()
    later = _pair(season)
    MentoringPair.objects.filter(pk=later.pk).update(ended_on=date(2025, 5, 31))
    earlier = _pair(season)
    MentoringPair.objects.filter(pk=earlier.pk).update(ended_on=date(2024, 12, 1))
    moment = datetime(2025, 2, 3, 3, 0, tzinfo=UTC)
    mentoring_pairs_end_for_leavers(
        enrollments=[later.mentee, earlier.mentee], to_status=Enrollment.Status.EXCLUDED, changed_at=moment
    )
    assert MentoringPair.objects.get(pk=later.pk).ended_on == date(2025, 2, 3)
    assert MentoringPair.objects.get(pk=earlier.pk).ended_on == date(2024, 12, 1)


def test_other_status_changes_end_nothing():
    season = _season()
    pair = _pair(season)
    enrollments_set_status(enrollments=[pair.mentee], to_status=Enrollment.Status.COMPLETED, actor=None)
    pair.refresh_from_db()
    assert pair.ended_on is None


def test_reinstatement_does_not_reopen_the_pair_and_a_new_one_can_be_made():
    season = _season()
    pair = _pair(season, started_on=timezone.localdate() - timedelta(days=20))
    enrollment_exclude(enrollment=pair.mentee, actor=None, reason="Пропуск обязательных мероприятий")
    enrollment_reinstate(enrollment=pair.mentee, actor=None, reason="Уважительная причина подтверждена")
    pair.refresh_from_db()
    # The pair stays ended on the day of the exclusion: reinstatement does not silently reopen it.
    excluded_on = timezone.localdate(
        EnrollmentStatusChange.objects.get(enrollment=pair.mentee, to_status=Enrollment.Status.EXCLUDED).changed_at,
        timezone=season.tz,
    )
    assert pair.ended_on == excluded_on
    # The coordinator may pair them again, the same mentor included; the ended pair stays in the history.
    mentee = Enrollment.objects.get(pk=pair.mentee_id)
    again = mentoring_pair_create(
        season=season, mentor=pair.mentor, mentee=mentee, goals="", started_on=timezone.localdate(), by=None
    )
    assert again.ended_on is None
    assert MentoringPair.objects.filter(mentor=pair.mentor, mentee=mentee).count() == 2


@pytest.mark.parametrize("moment", [datetime(2026, 12, 7, 14, 30, tzinfo=UTC), datetime(2026, 12, 7, 9, 0, tzinfo=UTC)])
def test_a_new_pair_may_be_made_on_the_seasons_day_of_the_exclusion_whatever_moscow_reads(monkeypatch, moment):
    """14:30 UTC is already the next day in Чегдомын (UTC+10) and still today in Moscow: the pair ended «today» by
    the season's calendar no longer runs, so pairing the reinstated mentee again is allowed at any hour."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    season = _season()
    pair = _pair(season, started_on=date(2026, 11, 1))
    enrollment_exclude(enrollment=pair.mentee, actor=None, reason="Пропуск обязательных мероприятий")
    enrollment_reinstate(enrollment=pair.mentee, actor=None, reason="Уважительная причина подтверждена")
    pair.refresh_from_db()
    assert pair.ended_on == timezone.localdate(moment, timezone=season.tz)
    again = mentoring_pair_create(
        season=season,
        mentor=pair.mentor,
        mentee=Enrollment.objects.get(pk=pair.mentee_id),
        goals="",
        started_on=pair.ended_on,
        by=None,
    )
    assert again.ended_on is None


def test_the_admin_filter_judges_each_pair_on_its_seasons_day(monkeypatch, rf):
    from experts.admin import ActivePairFilter

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 7, 14, 30, tzinfo=UTC))  # 08.12 in UTC+10
    far_east, moscow = _season(), _season(time_zone="Europe/Moscow")
    ended_far_east, ended_moscow = _pair(far_east), _pair(moscow)
    MentoringPair.objects.filter(pk__in=[ended_far_east.pk, ended_moscow.pk]).update(ended_on=date(2026, 12, 8))
    running = ActivePairFilter(rf.get("/"), {"active": ["yes"]}, MentoringPair, None).queryset(
        None, MentoringPair.objects.all()
    )
    # Чегдомын is on 08.12: its pair has ended; Moscow is on 07.12: its pair runs until tomorrow.
    assert set(running.values_list("pk", flat=True)) == {ended_moscow.pk}


def test_the_data_migration_ends_the_pairs_of_mentees_who_left_before():
    season = _season()
    withdrawn, excluded, active = _pair(season), _pair(season), _pair(season)
    for pair, status, moment in (
        (withdrawn, Enrollment.Status.WITHDRAWN, datetime(2024, 11, 5, 16, 0, tzinfo=UTC)),  # 06.11 in UTC+10
        (excluded, Enrollment.Status.EXCLUDED, datetime(2025, 1, 20, 1, 0, tzinfo=UTC)),
    ):
        EnrollmentStatusChange.objects.create(
            enrollment=pair.mentee, from_status="active", to_status=status, changed_at=moment, reason="до правила"
        )
        Enrollment.objects.filter(pk=pair.mentee_id).update(status=status, status_changed_at=moment)
    migration = importlib.import_module("experts.migrations.0007_end_pairs_of_leavers")
    migration.end_pairs_of_leavers(apps, None)
    ended = dict(MentoringPair.objects.values_list("pk", "ended_on"))
    assert ended == {withdrawn.pk: date(2024, 11, 6), excluded.pk: date(2025, 1, 20), active.pk: None}


# --- The mentor map counts running pairs of active mentees ----------------------------------------------------


def _coordinator(municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["experts", "participants"]))
    return user


def test_the_map_counts_only_running_pairs_of_active_mentees(client):
    season = _season()
    mentor = _mentor(season)
    running = _pair(season, mentor)
    ending_later = _pair(season, mentor)
    MentoringPair.objects.filter(pk=ending_later.pk).update(ended_on=timezone.localdate() + timedelta(days=30))
    closed = _pair(season, mentor)
    MentoringPair.objects.filter(pk=closed.pk).update(ended_on=date(2024, 12, 20))
    withdrawn = _pair(season, mentor)
    enrollment_withdraw(enrollment=withdrawn.mentee, actor=None, reason="Переезд")
    finished = _pair(season, mentor)  # the mentee completed the program: the pair no longer runs
    enrollments_set_status(enrollments=[finished.mentee], to_status=Enrollment.Status.COMPLETED, actor=None)
    free = EnrollmentFactory(season=season)

    [shown] = season_mentor_map([season.pk])
    assert {p.pk for p in shown.active_pairs} == {running.pk, ending_later.pk}

    client.force_login(_coordinator(season.program.municipality))
    response = client.get(reverse("admin:experts_mentoringpair_map"), {"season": season.pk})
    assert response.context["paired_count"] == 2
    # The withdrawn and the finished mentees are not active participants; the free one and the closed pair's are.
    assert {e.pk for e in response.context["unpaired"]} == {free.pk, closed.mentee_id}
    assert "действующих пар: 2" in response.content.decode()


# --- «Нет встреч наставника с наставляемым 30 дней» reads the mentor's meetings ---------------------------------


def _at(day: date, hour=12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def test_the_quiet_flag_reads_the_meetings_with_explicit_dates():
    season = _season()
    mentor = _mentor(season)
    met = _pair(season, mentor, started_on=date(2024, 9, 2))
    never = _pair(season, mentor, started_on=date(2024, 9, 2))
    young = _pair(season, mentor, started_on=date(2024, 10, 20))
    mentoring_meeting_log(
        pair=met, held_on=date(2024, 10, 1), form="in_person", topic="План", by=None, today=date(2024, 10, 1)
    )

    def quiet(now):
        return {p.pk for p in mentor_pairs([mentor], now=now) if p.quiet}

    assert QUIET_DAYS == 30
    # 30.10: the meeting of 01.10 is 29 days old; the pair with no meeting started 58 days ago.
    assert quiet(_at(date(2024, 10, 30))) == {never.pk}
    # 31.10: the meeting is 30 days old — quiet now; the young pair (11 days) is not judged yet.
    assert quiet(_at(date(2024, 10, 31))) == {met.pk, never.pk}
    # 20.11: the young pair is 31 days old with no meeting.
    assert quiet(_at(date(2024, 11, 20))) == {met.pk, never.pk, young.pk}
    mentoring_meeting_log(
        pair=never, held_on=date(2024, 11, 19), form="remote", topic="Разбор урока", by=None, today=date(2024, 11, 20)
    )
    assert quiet(_at(date(2024, 11, 20))) == {met.pk, young.pk}


def test_an_ended_pair_is_never_quiet():
    season = _season()
    mentor = _mentor(season)
    pair = _pair(season, mentor, started_on=date(2024, 9, 2))
    MentoringPair.objects.filter(pk=pair.pk).update(ended_on=date(2024, 12, 1))
    [shown] = mentor_pairs([mentor], now=_at(date(2025, 2, 1)))
    assert (shown.running, shown.quiet) == (False, False)
