"""The demo's communities «ПРОкомьюнити» (demo/cascade_communities.py): built in the latest season under way of the
program `prokommyuniti`, nothing when the program is absent, and the demo teacher leads the first community."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demo.generator import DemoGenerator
from participants.models import Person
from projects.models import AcceleratorSupport, CascadeTraining, Community, Practice
from projects.selectors_communities import board, communities_of_season, is_staffed
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, PersonFactory, UserFactory
from tests.projects.communities_fixtures import season_of

pytestmark = pytest.mark.django_db


def _generator():
    return DemoGenerator(scale="district", seed=7, log=lambda _text: None)


def test_nothing_without_the_program():
    _generator().create_communities()
    assert not Community.objects.exists()


def test_communities_of_the_season_under_way():
    season = season_of()
    today = timezone.localdate()
    season.starts_on, season.ends_on = today - timedelta(days=150), today + timedelta(days=150)
    season.save()
    teacher = PersonFactory(user=UserFactory(email="teacher.moskovsky@demo.ru"))
    enrollments = [EnrollmentFactory(season=season) for _ in range(30)]
    EnrollmentFactory(season=season, person=teacher)
    ExpertAssignmentFactory(season=season)
    generator = _generator()
    generator.create_communities()
    communities = list(communities_of_season(season))
    assert len(communities) == 4
    assert [is_staffed(c.active_count) for c in communities].count(False) == 1
    first = Community.objects.get(name__startswith="Сообщество учителей математики")
    assert first.leader.person_id == teacher.pk
    assert Practice.objects.filter(community__season=season).exists()
    assert CascadeTraining.objects.filter(community=first).exists()
    assert AcceleratorSupport.objects.count() == 3
    rows, _scale = board(season)
    assert rows.first().points > 0
    assert len(enrollments) == 30 and Person.objects.count() >= 31
    generator.create_communities()  # twice: nothing more
    assert Community.objects.filter(season=season).count() == 4
