"""A ПРОкомьюнити world for the communities' tests: a program `prokommyuniti` of a municipality, its season, its
coordinator and teachers, a community with members (сид 001)."""

from __future__ import annotations

from datetime import date

from participants.models import User
from projects.models import Community, CommunityMember, CommunityRole
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)

JOINED = date(2024, 9, 10)


def season_of(municipality=None, slug: str = "prokommyuniti"):
    municipality = municipality or MunicipalityFactory(name="Московский район", time_zone="Europe/Moscow")
    program = ProgramFactory(slug=slug, title="ПРОкомьюнити в мире VUCA", municipality=municipality)
    return SeasonFactory(program=program, time_zone="Europe/Moscow")


def coordinator_of(season) -> User:
    return UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=season.program.municipality)


def management_of(season) -> User:
    return UserFactory(role=User.Role.MANAGEMENT, municipality=season.program.municipality)


def community_with(season, n: int = 5, *, name: str = "Сообщество учителей математики", leader: bool = True):
    """A community with `n` active members; the first is its leader «лидер изменений»."""
    community = Community.objects.create(season=season, name=name, goals="Цели", tasks="Задачи")
    members = []
    for i in range(n):
        enrollment = EnrollmentFactory(season=season)
        role = CommunityRole.CHANGE_LEADER if i == 0 else CommunityRole.MEMBER
        members.append(
            CommunityMember.objects.create(community=community, enrollment=enrollment, role=role, joined_on=JOINED)
        )
    if leader and members:
        community.leader = members[0].enrollment
        community.save(update_fields=["leader"])
    return community, members


def community_rows_of(season, enrollment) -> dict:
    """One row of each communities' admin model in the season, for the admin matrices (tests/admin_write_probes.py,
    tests/admin/test_relation_scope.py)."""
    from datetime import timedelta

    from django.utils import timezone

    from activities.models import ActivityAudience, ActivityKind
    from projects.models import (
        AcceleratorDirection,
        AcceleratorSupport,
        CascadeTraining,
        MotivationScale,
        Practice,
        PracticeRating,
    )
    from tests.factories import ActivityFactory, SessionFactory

    community = Community.objects.create(season=season, name="Сообщество-маркер", goals="Цели", tasks="Задачи")
    CommunityMember.objects.create(community=community, enrollment=enrollment, joined_on=JOINED)
    practice = Practice.objects.create(
        community=community, author=enrollment, title="Практика-маркер", description="О", link="https://example.ru/p"
    )
    now = timezone.now()
    session = SessionFactory(
        activity=ActivityFactory(season=season, kind=ActivityKind.TRAINING, audience=ActivityAudience.INVITED),
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=1),
    )
    return {
        "community": community,
        "practice": practice,
        "practice_rating": PracticeRating.objects.create(practice=practice, rater=enrollment, score=4),
        "cascade_training": CascadeTraining.objects.create(community=community, trainer=enrollment, session=session),
        "accelerator_support": AcceleratorSupport.objects.create(
            enrollment=enrollment, direction=AcceleratorDirection.INNOVATIONS, goal="Цель-маркер"
        ),
        "motivation_scale": MotivationScale.objects.create(season=season),
    }


def matrix_communities(season, teacher_enrollment, stored_file: str) -> dict:
    """The permissions matrix's communities (tests/permissions_world.py): the teacher leads a community of five in
    season A, with a colleague's practice and a half-year report (both with the matrix's stored file); a second
    community has members the teacher is not one of."""
    from projects.models import CommunityReport, Practice

    community = Community.objects.create(season=season, name="Сообщество матрицы", goals="Цели", tasks="Задачи")
    CommunityMember.objects.create(
        community=community, enrollment=teacher_enrollment, role=CommunityRole.CHANGE_LEADER, joined_on=JOINED
    )
    colleagues = [EnrollmentFactory(season=season) for _ in range(4)]
    for colleague in colleagues:
        CommunityMember.objects.create(community=community, enrollment=colleague, joined_on=JOINED)
    community.leader = teacher_enrollment
    community.save(update_fields=["leader"])
    other, _members = community_with(season, 5, name="Чужое сообщество матрицы")
    practice = Practice.objects.create(
        community=community,
        author=colleagues[0],
        title="Практика матрицы",
        description="Описание",
        link="https://example.ru/p",
        file=stored_file,
    )
    report = CommunityReport.objects.create(
        community=community, year=2025, half=1, due_on=date(2025, 6, 25), file=stored_file
    )
    return {"community": community, "other_community": other, "practice": practice, "community_report": report}
