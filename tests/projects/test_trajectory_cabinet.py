"""The cabinet section «Траектория развития» (сид 001): a member of an informal mentor community sees their
communities, their mentoring practices with the state of their review and the next intensive; a teacher of another
community, of another program or in none sees no section; the section asks nothing for a teacher in no community."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityKind
from core.zones import moment_text
from participants.cabinet import CabinetContext
from participants.selectors import cabinet_person_enrollments
from projects.cabinet_trajectory import _trajectory_context
from projects.models import Community, CommunityMember, CommunityRole, Practice
from projects.services_communities import practice_add
from projects.services_trajectory import (
    mentoring_practice_recommend,
    mentoring_practice_return,
    mentoring_practice_review,
)
from tests.factories import ActivityFactory, EnrollmentFactory, PersonFactory, SessionFactory, UserFactory
from tests.projects.trajectory_world import build_world

pytestmark = pytest.mark.django_db


def _practice(member, title):
    return practice_add(
        community=member.community,
        kind=Practice.Kind.MENTORING,
        title=title,
        description="Опыт школы",
        link="https://example.ru/p",
        by=member.enrollment.person.user,
    )


def test_member_sees_communities_practices_with_review_and_the_next_intensive(client):
    w = build_world()
    member = w["members"][1]
    coordinator = w["users"]["coordinator"]
    submitted = _practice(member, "Наставничество «учитель – ученик»")
    recommended = _practice(member, "Клуб молодого педагога")
    mentoring_practice_review(practice=recommended, conclusion="Успешный опыт школы", by=coordinator)
    mentoring_practice_recommend(practice=recommended, by=coordinator)
    returned = _practice(member, "Педагогическая мастерская")
    mentoring_practice_return(practice=returned, reason="Добавьте результаты", by=coordinator)
    soon = timezone.now() + timedelta(days=3)
    activity = ActivityFactory(season=w["season"], kind=ActivityKind.INTENSIVE, title="Интенсив для наставников")
    SessionFactory(activity=activity, starts_at=soon + timedelta(days=5), ends_at=soon + timedelta(days=5, hours=2))
    SessionFactory(activity=activity, starts_at=soon, ends_at=soon + timedelta(hours=2), place="ИМЦ, ауд. 12")
    past = datetime(2025, 3, 1, 9, tzinfo=UTC)
    SessionFactory(activity=activity, starts_at=past, ends_at=past + timedelta(hours=2), place="Прошедший")

    client.force_login(member.enrollment.person.user)
    body = client.get(reverse("cabinet")).content.decode()
    section = body.split('id="my-trajectory"')[1].split("</section>")[0]
    assert w["community"].name in section and "Педагог-методист" in section
    assert 'data-review="submitted"' in section and "на рассмотрении" in section
    assert "рекомендована к представлению на конкурсных и иных мероприятиях" in section
    assert "возвращена на доработку" in section and "Добавьте результаты" in section
    assert section.index(returned.title) < section.index(recommended.title) < section.index(submitted.title)
    assert "ИМЦ, ауд. 12" in section and "Прошедший" not in section
    # In the portal's one voice for moments: the season's zone in words (core.zones.moment_text).
    assert moment_text(soon, w["season"].tz) in section and "время" in moment_text(soon, w["season"].tz)


def test_nothing_for_others(client):
    w = build_world()
    # A teacher of the school not in any community, and a member of a district community without a practice.
    for user in (w["users"]["teacher"], w["users"]["director"]):
        client.force_login(user)
        assert 'id="my-trajectory"' not in client.get(reverse("cabinet")).content.decode()
    district = Community.objects.create(season=w["season"], name="Районное сообщество", kind=Community.Kind.DISTRICT)
    enrollment = EnrollmentFactory(
        season=w["season"], person=PersonFactory(organisation=w["school2"], user=UserFactory())
    )
    CommunityMember.objects.create(
        community=district, enrollment=enrollment, role=CommunityRole.MEMBER, joined_on=date(2025, 1, 15)
    )
    client.force_login(enrollment.person.user)
    body = client.get(reverse("cabinet")).content.decode()
    assert 'id="my-communities"' in body and 'id="my-trajectory"' not in body


def test_an_author_outside_the_mentor_communities_sees_their_practice(client):
    w = build_world()
    district = Community.objects.create(season=w["season"], name="Районное сообщество", kind=Community.Kind.DISTRICT)
    enrollment = EnrollmentFactory(
        season=w["season"], person=PersonFactory(organisation=w["school2"], user=UserFactory())
    )
    member = CommunityMember.objects.create(
        community=district, enrollment=enrollment, role=CommunityRole.MEMBER, joined_on=date(2025, 1, 15)
    )
    _practice(member, "Наставник для молодого учителя")
    client.force_login(enrollment.person.user)
    section = client.get(reverse("cabinet")).content.decode().split('id="my-trajectory"')[1]
    assert "Наставник для молодого учителя" in section and "на рассмотрении" in section
    assert "Неформальные сообщества педагогов-наставников" not in section.split("</section>")[0]


def _ctx(rf, user):
    person, enrollments = cabinet_person_enrollments(user)
    return CabinetContext(request=rf.get("/cabinet/"), person=person, enrollments=enrollments, now=timezone.now())


def test_no_query_of_its_own_for_a_teacher_in_no_community(rf):
    w = build_world()
    teacher = EnrollmentFactory(season=w["season"], person=PersonFactory(organisation=w["school2"], user=UserFactory()))
    ctx = _ctx(rf, teacher.person.user)
    with CaptureQueriesContext(connection) as first:
        assert _trajectory_context(ctx) is None
    assert len(first) == 1  # the memberships, which the communities section then reuses
    with CaptureQueriesContext(connection) as again:
        assert _trajectory_context(ctx) is None
    assert len(again) == 0
    other_program = EnrollmentFactory(person=PersonFactory(user=UserFactory()))
    ctx = _ctx(rf, other_program.person.user)
    with CaptureQueriesContext(connection) as none:
        assert _trajectory_context(ctx) is None
    assert len(none) == 0


def test_a_member_costs_two_queries_whatever_the_practices(rf):
    w = build_world()
    member = w["members"][2]
    for i in range(4):
        _practice(member, f"Практика {i}")
    ctx = _ctx(rf, member.enrollment.person.user)
    with CaptureQueriesContext(connection) as queries:
        context = _trajectory_context(ctx)
    assert len(context["practices"]) == 4
    assert len(queries) == 3  # memberships (shared), practices, the next intensive
