"""Seed 001, «ПРОкомьюнити», задачи: «Создание особых возможностей для лидеров… – «Prof-акселератор» по трем
направлениям: новации в образовании; эффективное обучение взрослых: подходы и особенности; компетенции, которые
пригодятся: наставник/тьютор/коуч/тренер, дизайнер образовательных программ и др. в сочетании с
персонифицированным сопровождением профессионального развития и карьерного роста».

The track is a roadmap module whose activities are for the invited; the leaders of the season's communities are
invited to every session of it; each leader's personal support is a row per direction with its specialist."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from activities.models import ActivityAudience, ActivityKind
from experts.models import ExpertRole
from projects.models import AcceleratorDirection, AcceleratorSupport
from projects.services_communities import accelerator_invite_leaders
from tests.factories import ActivityFactory, ExpertAssignmentFactory, RoadmapModuleFactory, SessionFactory
from tests.projects.communities_fixtures import community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def test_three_directions_quote_the_seed():
    assert [str(label) for label in AcceleratorDirection.labels] == [
        "Новации в образовании",
        "Эффективное обучение взрослых: подходы и особенности",
        "Компетенции, которые пригодятся: наставник/тьютор/коуч/тренер, дизайнер образовательных программ и др.",
    ]


def test_leaders_are_invited_to_the_accelerator_and_supported_personally():
    season = season_of()
    coordinator = coordinator_of(season)
    maths, maths_members = community_with(season, 5)
    mentors, mentors_members = community_with(season, 5, name="Сообщество наставников")
    module = RoadmapModuleFactory(season=season, title="«Prof-акселератор»")
    start = datetime(2025, 2, 10, 15, 0, tzinfo=MSK)
    sessions = []
    for i, direction in enumerate(AcceleratorDirection):
        activity = ActivityFactory(
            season=season,
            module=module,
            title=str(direction.label),
            kind=ActivityKind.MODULAR_TRAINING,
            audience=ActivityAudience.INVITED,
        )
        sessions.append(
            SessionFactory(
                activity=activity,
                starts_at=start + timedelta(days=7 * i),
                ends_at=start + timedelta(days=7 * i, hours=3),
            )
        )
    assert accelerator_invite_leaders(module=module, by=coordinator) == 6
    leaders = {maths_members[0].enrollment_id, mentors_members[0].enrollment_id}
    for session in sessions:
        assert set(session.invited.values_list("pk", flat=True)) == leaders
    companion = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    support = AcceleratorSupport.objects.create(
        enrollment=maths_members[0].enrollment,
        direction=AcceleratorDirection.ADULT_LEARNING,
        companion=companion,
        goal="Стать тренером районной школы наставников",
    )
    assert str(support.get_direction_display()).startswith("Эффективное обучение взрослых")
    with pytest.raises(IntegrityError):
        AcceleratorSupport.objects.create(
            enrollment=maths_members[0].enrollment, direction=AcceleratorDirection.ADULT_LEARNING, goal="Повтор"
        )
