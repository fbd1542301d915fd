from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole
from experts.selectors import person_expert_assignments
from experts.workspace import WorkspaceContext
from ratings.models import Achievement
from ratings.workspace_achievements import achievements_panel_context
from tests.factories import EnrollmentFactory, SeasonFactory

from .achievement_helpers import AchievementFactory, coordinator_of, expert_of, with_file

pytestmark = pytest.mark.django_db
URL = "/expert/achievements/"


def _login(client, user):
    client.force_login(user)


@pytest.fixture
def season():
    return SeasonFactory()


@pytest.fixture
def expert(season):
    return expert_of(season, role=ExpertRole.METHODIST)


def test_url_name():
    assert reverse("expert_achievements") == URL


def test_expert_sees_pending_of_own_seasons_only(client, season, expert):
    mine = with_file(AchievementFactory(enrollment__season=season, title="Моё на проверке"))
    AchievementFactory(enrollment__season=season, title="Уже подтверждено", status=Achievement.Status.CONFIRMED)
    AchievementFactory(enrollment__season=SeasonFactory(), title="Чужой сезон")
    _login(client, expert.person.user)
    html = client.get(URL).content.decode()
    assert "Моё на проверке" in html
    assert reverse("achievement_proof", args=[mine.pk]) in html
    assert mine.enrollment.person.full_name in html
    assert "Уже подтверждено" not in html and "Чужой сезон" not in html


def test_teacher_gets_404_and_anonymous_goes_to_login(client, season):
    _login(client, EnrollmentFactory(season=season).person.user)
    assert client.get(URL).status_code == 404
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_tech_specialist_is_not_in_the_expert_group(client, season):
    _login(client, expert_of(season, role=ExpertRole.TECH_SPECIALIST).person.user)
    assert client.get(URL).status_code == 404


def test_expert_of_another_season_sees_nothing_of_this_one(client, season):
    item = AchievementFactory(enrollment__season=season, title="Не ваше")
    _login(client, expert_of(SeasonFactory()).person.user)
    html = client.get(URL).content.decode()
    assert "Не ваше" not in html
    client.post(URL, {"confirm_one": str(item.pk)})
    item.refresh_from_db()
    assert item.status == Achievement.Status.PENDING


def test_coordinator_sees_the_municipality_queue(client, season):
    AchievementFactory(enrollment__season=season, title="Для координатора")
    _login(client, coordinator_of(season))
    assert "Для координатора" in client.get(URL).content.decode()


def test_confirm_one(client, season, expert):
    item = AchievementFactory(enrollment__season=season)
    other = AchievementFactory(enrollment__season=season)
    _login(client, expert.person.user)
    response = client.post(URL, {"confirm_one": str(item.pk), f"comment_{item.pk}": "Молодец"})
    assert response.status_code == 302
    item.refresh_from_db()
    other.refresh_from_db()
    assert (item.status, item.comment, item.decided_by) == (Achievement.Status.CONFIRMED, "Молодец", expert)
    assert other.status == Achievement.Status.PENDING


def test_reject_one_without_comment_keeps_what_was_typed(client, season, expert):
    item = AchievementFactory(enrollment__season=season)
    other = AchievementFactory(enrollment__season=season)
    _login(client, expert.person.user)
    response = client.post(
        URL,
        {"reject_one": str(item.pk), f"comment_{item.pk}": "", f"comment_{other.pk}": "Черновик", "ids": [other.pk]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Укажите причину отклонения" in html
    assert ">Черновик</textarea>" in html
    assert f'value="{other.pk}" id="achievement-{other.pk}-tick" checked' in html
    item.refresh_from_db()
    assert item.status == Achievement.Status.PENDING


def test_bulk_reject_with_one_comment(client, season, expert):
    items = [AchievementFactory(enrollment__season=season) for _ in range(3)]
    _login(client, expert.person.user)
    response = client.post(
        URL, {"bulk_reject": "1", "ids": [items[0].pk, items[1].pk], "bulk_comment": "Подтверждение не открывается"}
    )
    assert response.status_code == 302
    statuses = [Achievement.objects.get(pk=i.pk).status for i in items]
    assert statuses == [Achievement.Status.REJECTED, Achievement.Status.REJECTED, Achievement.Status.PENDING]
    assert Achievement.objects.get(pk=items[0].pk).comment == "Подтверждение не открывается"


def test_bulk_without_ticks_says_so(client, season, expert):
    AchievementFactory(enrollment__season=season)
    _login(client, expert.person.user)
    response = client.post(URL, {"bulk_confirm": "1"})
    assert response.status_code == 400
    assert "Отметьте достижения" in response.content.decode()


def test_bulk_confirm(client, season, expert):
    items = [AchievementFactory(enrollment__season=season) for _ in range(2)]
    _login(client, expert.person.user)
    client.post(URL, {"bulk_confirm": "1", "ids": [i.pk for i in items]})
    assert set(Achievement.objects.values_list("status", flat=True)) == {Achievement.Status.CONFIRMED}


def test_paginated(client, season, expert):
    for n in range(23):
        AchievementFactory(enrollment__season=season, title=f"Достижение №{n:02d}")
    _login(client, expert.person.user)
    first = client.get(URL).content.decode()
    second = client.get(URL + "?page=2").content.decode()
    assert "Достижение №00" in first and "Достижение №22" not in first
    assert "Достижение №22" in second and "Достижение №00" not in second


@pytest.mark.parametrize("count", [1, 3])
def test_query_count(client, django_assert_num_queries, season, expert, count):
    for _ in range(count):
        with_file(AchievementFactory(enrollment__season=season))
    _login(client, expert.person.user)
    # Session, user (with the person: the header's short name), expert check, page count, page rows.
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.content.decode().count('name="ids"') == count


# --- The workspace panel ---------------------------------------------------------------------------------


def _panel(person):
    ctx = WorkspaceContext(
        request=None, person=person, assignments=person_expert_assignments(person), now=timezone.now()
    )
    return achievements_panel_context(ctx)


@pytest.mark.parametrize("count", [1, 3])
def test_panel_counts_and_oldest_days(django_assert_num_queries, season, expert, count):
    now = timezone.now()
    for n in range(count):
        item = AchievementFactory(enrollment__season=season)
        Achievement.objects.filter(pk=item.pk).update(created_at=now - timedelta(days=2 + n))
    AchievementFactory(enrollment__season=season, status=Achievement.Status.CONFIRMED)
    person = expert.person
    assignments = person_expert_assignments(person)
    ctx = WorkspaceContext(request=None, person=person, assignments=assignments, now=now)
    with django_assert_num_queries(1):
        context = achievements_panel_context(ctx)
    assert context["total"] == count
    assert context["rows"][0]["oldest_days"] == 1 + count


def test_panel_hidden_for_roles_outside_the_expert_group(season):
    tech = expert_of(season, role=ExpertRole.TECH_SPECIALIST)
    assert _panel(tech.person) is None


def test_workspace_shows_the_panel(client, season, expert):
    AchievementFactory(enrollment__season=season)
    _login(client, expert.person.user)
    html = client.get(reverse("expert_workspace")).content.decode()
    assert "Достижения участников" in html and URL in html
