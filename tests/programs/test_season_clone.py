"""`season_clone` end to end: the roadmap and every app's parts moved a year on, no participants."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from activities.models import Activity, Session, VideoAssignment
from experts.models import ExpertAssignment, SeasonExpertRole
from participants.models import Enrollment
from programs.models import RoadmapModule, Season
from programs.program_templates import PROGRESSIVE_TEACHER
from programs.services import season_clone, shift_years
from programs.templates_service import program_template_apply
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory

pytestmark = pytest.mark.django_db

YEKT = ZoneInfo("Asia/Yekaterinburg")


@pytest.fixture
def source():
    season = program_template_apply(template=PROGRESSIVE_TEACHER)
    EnrollmentFactory.create_batch(2, season=season)
    ExpertAssignmentFactory(season=season)
    return season


def activity_key(activity):
    return (activity.module.order if activity.module else None, activity.order, activity.title)


def test_clone_moves_the_season_one_year_on(source):
    target = season_clone(source=source)

    assert target.title == "2025–2026"
    assert target.program == source.program
    assert target.cloned_from == source
    assert (target.starts_on, target.ends_on) == (date(2025, 9, 1), date(2026, 6, 30))
    assert target.registration_opens_at == datetime(2025, 9, 10, tzinfo=YEKT)
    assert target.registration_closes_at == datetime(2025, 9, 24, tzinfo=YEKT)
    assert target.eligible_education_levels == source.eligible_education_levels
    assert target.time_zone == source.time_zone


def test_a_relaunch_starts_with_videos_closed_to_the_team_at_large(source):
    Season.objects.filter(pk=source.pk).update(videos_open_to_experts=True, videos_open_reason="Решение 2024 года")
    source.refresh_from_db()

    target = season_clone(source=source)

    assert (target.videos_open_to_experts, target.videos_open_reason) == (False, "")


def test_clone_copies_the_roadmap(source):
    target = season_clone(source=source)

    old = list(source.modules.order_by("order"))
    new = list(target.modules.order_by("order"))
    assert [(m.order, m.number, m.title, m.learning_formats) for m in new] == [
        (m.order, m.number, m.title, m.learning_formats) for m in old
    ]
    assert [(m.starts_on, m.ends_on) for m in new] == [
        (shift_years(m.starts_on, 1), shift_years(m.ends_on, 1)) for m in old
    ]


def test_clone_copies_activities_sessions_and_video_assignments(source):
    target = season_clone(source=source)

    old = {activity_key(a): a for a in source.activities.select_related("module")}
    new = {activity_key(a): a for a in target.activities.select_related("module")}
    assert new.keys() == old.keys()
    for key, activity in new.items():
        original = old[key]
        assert activity.module is None or activity.module.season_id == target.pk
        assert (activity.kind, activity.gives_certificate, activity.required_sessions, activity.hours) == (
            original.kind,
            original.gives_certificate,
            original.required_sessions,
            original.hours,
        )
        assert [(s.title, s.starts_at, s.ends_at) for s in activity.sessions.order_by("starts_at")] == [
            (s.title, shift_years(s.starts_at, 1), shift_years(s.ends_at, 1))
            for s in original.sessions.order_by("starts_at")
        ]
    assert VideoAssignment.objects.filter(activity__season=target).count() == 2
    for assignment in VideoAssignment.objects.filter(activity__season=target).select_related("activity__module"):
        original = VideoAssignment.objects.get(
            activity__season=source, activity__module__order=assignment.activity.module.order
        )
        assert assignment.opens_at == shift_years(original.opens_at, 1)
        assert assignment.due_at == shift_years(original.due_at, 1)
        assert assignment.cutoff_at == shift_years(original.cutoff_at, 1)


def test_cloned_sessions_keep_their_local_time(source):
    target = season_clone(source=source)

    first = Session.objects.filter(activity__season=target).order_by("starts_at").first()
    assert first.starts_at == datetime(2025, 9, 26, 15, 0, tzinfo=YEKT)


def test_clone_copies_expert_roles_but_not_people_or_enrollments(source):
    target = season_clone(source=source)

    assert list(target.expert_roles.order_by("role").values_list("role", "functions", "planned_count")) == list(
        source.expert_roles.order_by("role").values_list("role", "functions", "planned_count")
    )
    assert not ExpertAssignment.objects.filter(season=target).exists()
    assert not Enrollment.objects.filter(season=target).exists()
    assert Enrollment.objects.filter(season=source).count() == 2


def test_source_season_is_untouched(source):
    counts = (
        source.modules.count(),
        source.activities.count(),
        Session.objects.filter(activity__season=source).count(),
    )

    season_clone(source=source)

    assert (
        source.modules.count(),
        source.activities.count(),
        Session.objects.filter(activity__season=source).count(),
    ) == counts


def test_a_second_clone_with_the_same_title_fails_cleanly(source):
    season_clone(source=source)
    rows = [model.objects.count() for model in (Season, RoadmapModule, Activity, Session, SeasonExpertRole)]

    with pytest.raises((ValidationError, IntegrityError)):
        season_clone(source=source)

    assert [model.objects.count() for model in (Season, RoadmapModule, Activity, Session, SeasonExpertRole)] == rows


def test_clone_with_a_free_title_succeeds_twice(source):
    season_clone(source=source)

    second = season_clone(source=source, title="2025–2026 (вторая группа)")

    assert second.activities.count() == source.activities.count()
