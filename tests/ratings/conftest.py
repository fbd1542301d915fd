"""A season with a rubric, a methodist of mathematics, a curator with a group, and a video assignment."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Submission, VideoAssignment
from experts.models import ExpertAssignment, ExpertGroup, ExpertRole, GroupMember
from participants.models import User
from participants.roles import role_groups_ensure
from programs.models import Season, Subject
from ratings.models import Rubric, RubricCriterion
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    PersonFactory,
    RubricCriterionFactory,
    RubricFactory,
    SeasonFactory,
    SubjectFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)


def expert(season, role=ExpertRole.METHODIST, subject=None, last_name=None) -> ExpertAssignment:
    kwargs = {"person__user": UserFactory(role=User.Role.EXPERT)}
    if last_name:
        kwargs["person__last_name"] = last_name
    return ExpertAssignmentFactory(season=season, role=role, subject=subject, **kwargs)


def coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.groups.add(role_groups_ensure()["Координаторы"])
    return user


@dataclass
class World:
    season: Season
    subject: Subject
    rubric: Rubric
    goal: RubricCriterion
    method: RubricCriterion
    methodist: ExpertAssignment
    curator: ExpertAssignment
    group: ExpertGroup
    assignment: VideoAssignment

    def submission(self, *, in_group=True, days_ago=1, **kwargs) -> Submission:
        enrollment = EnrollmentFactory(season=self.season)
        if in_group:
            GroupMember.objects.create(group=self.group, enrollment=enrollment)
        kwargs.setdefault("subject", self.subject)
        kwargs.setdefault("submitted_at", timezone.now() - timedelta(days=days_ago))
        return SubmissionFactory(assignment=self.assignment, enrollment=enrollment, **kwargs)


@pytest.fixture
def world(db) -> World:
    season = SeasonFactory(review_due_days=7, review_lock_hours=4)
    subject = SubjectFactory(name="Математика")
    rubric = RubricFactory(program=season.program, title="Оценка видеоурока", version=1)
    goal = RubricCriterionFactory(
        rubric=rubric,
        order=1,
        title="Постановка цели урока",
        description="Цель сформулирована вместе с учениками",
        max_points=3,
        weight=Decimal("1.50"),
        levels=["Цели нет", "Цель названа учителем", "Цель обсуждена", "Цель поставлена учениками"],
    )
    method = RubricCriterionFactory(
        rubric=rubric, order=2, title="Методы и приёмы", max_points=2, weight=Decimal("1.00"), comment_required=True
    )
    methodist = expert(season, ExpertRole.METHODIST, subject, last_name="Методистова")
    curator = expert(season, ExpertRole.CURATOR, last_name="Кураторова")
    group = ExpertGroup.objects.create(season=season, name="Группа 1", curator=curator)
    assignment = VideoAssignmentFactory(activity__season=season)
    return World(season, subject, rubric, goal, method, methodist, curator, group, assignment)


@pytest.fixture
def teacher_person():
    return PersonFactory()
