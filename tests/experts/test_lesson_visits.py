from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertGroup, ExpertRole, GroupMember, LessonVisit, VisitMode
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, PersonFactory, SeasonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    today = timezone.localdate()
    return SeasonFactory(starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=200))


@pytest.fixture
def curator(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)


@pytest.fixture
def member(season, curator):
    group = ExpertGroup.objects.create(season=season, name="Группа 1", curator=curator)
    enrollment = EnrollmentFactory(season=season)
    GroupMember.objects.create(group=group, enrollment=enrollment)
    return enrollment


def new_url(enrollment):
    return f"{reverse('expert_visit_create')}?enrollment={enrollment.pk}"


def form_data(**extra):
    return {
        "visited_on": timezone.localdate().isoformat(),
        "mode": VisitMode.RECORDING,
        "lesson": "Решение задач на движение",
        "grade": "5 «А»",
        "notes": "Внутренняя заметка",
        "recommendations": "Больше групповой работы",
        **extra,
    }


def test_curator_logs_a_visit_and_returns_to_the_group(client, member, curator):
    client.force_login(curator.person.user)
    assert client.get(new_url(member)).status_code == 200
    response = client.post(new_url(member), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("expert_group", args=[member.group_membership.group_id])
    visit = LessonVisit.objects.get()
    assert visit.expert == curator and visit.mode == VisitMode.RECORDING and visit.notes == "Внутренняя заметка"


def test_methodist_of_the_season_logs_a_visit(client, member, season):
    methodist = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST)
    client.force_login(methodist.person.user)
    response = client.post(new_url(member), form_data())
    assert response.status_code == 302 and response["Location"] == reverse("expert_visits")
    assert LessonVisit.objects.get().expert == methodist


def test_future_date_is_refused_and_input_kept(client, member, curator):
    client.force_login(curator.person.user)
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(new_url(member), form_data(visited_on=tomorrow))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Дата посещения не может быть в будущем." in page and "Решение задач на движение" in page
    assert not LessonVisit.objects.exists()


def test_missing_topic_is_refused(client, member, curator):
    client.force_login(curator.person.user)
    response = client.post(new_url(member), form_data(lesson=""))
    assert "Укажите тему урока." in response.content.decode()


@pytest.mark.parametrize("who", ["other_curator", "other_season_methodist", "teacher", "participant", "psychologist"])
def test_others_get_404(client, member, season, who):
    user = {
        "other_curator": lambda: ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR).person.user,
        "other_season_methodist": lambda: ExpertAssignmentFactory(role=ExpertRole.METHODIST).person.user,
        "teacher": lambda: PersonFactory().user,
        "participant": lambda: member.person.user,
        "psychologist": lambda: ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST).person.user,
    }[who]()
    client.force_login(user)
    assert client.get(new_url(member)).status_code == 404
    assert client.post(new_url(member), form_data()).status_code == 404
    assert not LessonVisit.objects.exists()


def test_bad_or_missing_enrollment_is_404(client, curator):
    client.force_login(curator.person.user)
    assert client.get(reverse("expert_visit_create")).status_code == 404
    assert client.get(f"{reverse('expert_visit_create')}?enrollment=x").status_code == 404
    assert client.get(f"{reverse('expert_visit_create')}?enrollment=99999").status_code == 404


def test_anonymous_is_sent_to_login(client, member):
    for url in (new_url(member), reverse("expert_visits")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def visit(member, expert, n=0):
    return LessonVisit.objects.create(
        enrollment=member,
        expert=expert,
        visited_on=timezone.localdate() - timedelta(days=n),
        lesson=f"Урок {n}",
        notes=f"Заметка эксперта {n}",
        recommendations=f"Рекомендация {n}",
    )


def test_my_visits_lists_only_mine(client, member, curator, season):
    visit(member, curator)
    methodist = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST)
    other = LessonVisit.objects.create(
        enrollment=member, expert=methodist, visited_on=timezone.localdate(), lesson="Чужой урок"
    )
    client.force_login(curator.person.user)
    page = client.get(reverse("expert_visits")).content.decode()
    assert "Урок 0" in page and other.lesson not in page
    client.force_login(PersonFactory().user)
    assert client.get(reverse("expert_visits")).status_code == 404


@pytest.mark.parametrize("visits", [1, 3])
def test_my_visits_query_count(client, member, curator, django_assert_num_queries, visits):
    for n in range(visits):
        visit(member, curator, n)
    client.force_login(curator.person.user)
    with django_assert_num_queries(4):
        assert client.get(reverse("expert_visits")).status_code == 200


def test_teacher_sees_recommendations_not_notes_in_the_cabinet(client, member, curator):
    visit(member, curator)
    client.force_login(member.person.user)
    page = client.get(reverse("cabinet")).content.decode()
    assert "Посещения уроков и консультации" in page
    assert "Рекомендация 0" in page and "Урок 0" in page
    assert "Заметка эксперта" not in page


def test_another_teacher_sees_nothing_of_it(client, member, curator):
    visit(member, curator)
    other = EnrollmentFactory(season=member.season)
    client.force_login(other.person.user)
    page = client.get(reverse("cabinet")).content.decode()
    assert "Рекомендация 0" not in page and "Посещения уроков и консультации" not in page


@pytest.mark.parametrize("visits", [1, 3])
def test_cabinet_section_query_count(member, curator, django_assert_num_queries, visits, rf):
    from experts.cabinet_visits import _visits_context
    from participants.cabinet import CabinetContext

    for n in range(visits):
        visit(member, curator, n)
    ctx = CabinetContext(request=rf.get("/"), person=member.person, enrollments=[member], now=timezone.now())
    with django_assert_num_queries(2):
        context = _visits_context(ctx)
        [v.expert.person.short_name for v in context["visits"]]
        [c.expert.get_role_display() for c in context["consultations"]]
    assert len(context["visits"]) == visits
