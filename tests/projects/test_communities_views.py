"""The communities' pages: who may open them (the members, the coordinator and management of the municipality; not
another municipality, not another community's member, not an anonymous visitor), the bank's add/rate/hide flow,
the five-member rule on the page, and a constant number of queries on the list, the bank and the board."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from projects.models import Community, CommunityReport, Practice, PracticeRating
from projects.services_communities import community_meeting_schedule, practice_add
from tests.factories import EnrollmentFactory, MunicipalityFactory

from .communities_fixtures import community_with, coordinator_of, management_of, season_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    season = season_of()
    community, members = community_with(season, 5)
    other_community, other_members = community_with(season, 5, name="Сообщество наставников")
    return season, community, members, other_community, other_members


def _user(member):
    return member.enrollment.person.user


def _practice(community, member, title="Урок-исследование"):
    return practice_add(
        community=community,
        kind="practice",
        title=title,
        description="Описание",
        link="https://example.ru/p",
        by=_user(member),
    )


# --- Access ----------------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, world):
    season, community, *_rest = world
    for url in (
        reverse("communities_index"),
        reverse("community_list", args=[season.pk]),
        reverse("community_detail", args=[community.pk]),
        reverse("community_bank", args=[season.pk]),
        reverse("community_board", args=[season.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_member_opens_own_community_but_not_another(client, world):
    season, community, members, other_community, _other = world
    client.force_login(_user(members[1]))
    assert client.get(reverse("community_detail", args=[community.pk])).status_code == 200
    assert client.get(reverse("community_detail", args=[other_community.pk])).status_code == 404
    assert client.get(reverse("community_list", args=[season.pk])).status_code == 200
    assert client.get(reverse("community_bank", args=[season.pk])).status_code == 200
    assert client.get(reverse("community_board", args=[season.pk])).status_code == 200


def test_teacher_outside_the_communities_sees_nothing(client, world):
    season, community, *_rest = world
    outsider = EnrollmentFactory(season=season)
    client.force_login(outsider.person.user)
    assert client.get(reverse("community_detail", args=[community.pk])).status_code == 404
    assert client.get(reverse("community_bank", args=[season.pk])).status_code == 404
    assert client.get(reverse("community_board", args=[season.pk])).status_code == 404


def test_coordinator_of_another_municipality_gets_404(client, world):
    season, community, members, *_rest = world
    practice = _practice(community, members[0])
    other = coordinator_of(season_of(MunicipalityFactory(name="Фрунзенский район"), slug="other"))
    client.force_login(other)
    assert client.get(reverse("community_list", args=[season.pk])).status_code == 404
    assert client.get(reverse("community_detail", args=[community.pk])).status_code == 404
    assert client.get(reverse("community_bank", args=[season.pk])).status_code == 404
    response = client.post(reverse("community_practice_hide", args=[practice.pk]), {"reason": "Чужой"})
    assert response.status_code == 404
    assert Practice.objects.get(pk=practice.pk).hidden_at is None


def test_management_reads_but_cannot_change_status(client, world):
    season, community, *_rest = world
    client.force_login(management_of(season))
    assert client.get(reverse("community_detail", args=[community.pk])).status_code == 200
    response = client.post(reverse("community_status", args=[community.pk]), {"status": "active"})
    assert response.status_code == 403
    assert Community.objects.get(pk=community.pk).status == Community.Status.FORMING


def test_index_lists_the_seasons_of_the_user(client, world):
    season, _community, members, *_rest = world
    client.force_login(_user(members[0]))
    response = client.get(reverse("communities_index"))
    assert response.status_code == 200
    assert reverse("community_list", args=[season.pk]) in response.content.decode()


# --- The five-member rule on the page ----------------------------------------------------------------------------------


def test_coordinator_cannot_mark_a_four_member_community_active(client):
    season = season_of()
    community, _members = community_with(season, 4)
    client.force_login(coordinator_of(season))
    page = client.get(reverse("community_list", args=[season.pk])).content.decode()
    assert "не набран состав" in page
    response = client.post(reverse("community_status", args=[community.pk]), {"status": "active"})
    assert response.status_code == 400
    assert "Не набран состав" in response.content.decode()
    assert Community.objects.get(pk=community.pk).status == Community.Status.FORMING


def test_coordinator_marks_a_five_member_community_active(client, world):
    season, community, *_rest = world
    client.force_login(coordinator_of(season))
    response = client.post(reverse("community_status", args=[community.pk]), {"status": "active"})
    assert response.status_code == 302
    assert Community.objects.get(pk=community.pk).status == Community.Status.ACTIVE


# --- The bank --------------------------------------------------------------------------------------------------------


def test_member_adds_a_practice_with_a_file(client, world):
    season, community, members, *_rest = world
    client.force_login(_user(members[1]))
    upload = SimpleUploadedFile("praktika.pdf", b"%PDF-1.4 practice", content_type="application/pdf")
    response = client.post(
        reverse("community_practice_new", args=[community.pk]),
        {"kind": "practice", "title": "Кейс-метод", "description": "Как мы работаем", "file": upload},
    )
    assert response.status_code == 302
    practice = Practice.objects.get(title="Кейс-метод")
    assert practice.author_id == members[1].enrollment_id
    download = client.get(reverse("community_practice_file", args=[practice.pk]))
    assert download.status_code == 200


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_typed_is_lost(client, world):
    _season, community, members, *_rest = world
    client.force_login(_user(members[1]))
    upload = SimpleUploadedFile("praktika.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("community_practice_new", args=[community.pk]),
        {"kind": "practice", "title": "Кейс-метод", "description": "Как мы работаем", "file": upload},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Файл не похож" in body and "Кейс-метод" in body
    assert not Practice.objects.exists()


def test_member_of_another_community_cannot_add_to_this_one(client, world):
    _season, community, _members, _other, other_members = world
    client.force_login(_user(other_members[1]))
    response = client.get(reverse("community_practice_new", args=[community.pk]))
    assert response.status_code == 404


def test_rating_once_and_not_own_through_the_page(client, world):
    season, community, members, _other, other_members = world
    practice = _practice(community, members[0])
    client.force_login(_user(members[0]))
    client.post(reverse("community_practice_rate", args=[practice.pk]), {"score": "5"})
    assert not PracticeRating.objects.exists()
    client.force_login(_user(other_members[2]))
    client.post(reverse("community_practice_rate", args=[practice.pk]), {"score": "4", "comment": "Забираю"})
    client.post(reverse("community_practice_rate", args=[practice.pk]), {"score": "1"})
    assert list(PracticeRating.objects.values_list("score", flat=True)) == [4]
    page = client.get(reverse("community_bank", args=[season.pk])).content.decode()
    assert "Вы уже оценили этот материал." in page


def test_bank_filters_by_community(client, world):
    season, community, members, other_community, other_members = world
    _practice(community, members[0], title="Математическая вертушка")
    _practice(other_community, other_members[0], title="Наставнический час")
    client.force_login(_user(members[1]))
    page = client.get(reverse("community_bank", args=[season.pk]), {"community": other_community.pk})
    body = page.content.decode()
    assert "Наставнический час" in body and "Математическая вертушка" not in body
    bad = client.get(reverse("community_bank", args=[season.pk]), {"community": "999999"}).content.decode()
    assert "Такого сообщества в этом сезоне нет" in bad


def test_coordinator_hides_and_members_no_longer_see(client, world):
    season, community, members, *_rest = world
    practice = _practice(community, members[0], title="Спорный материал")
    client.force_login(coordinator_of(season))
    client.post(reverse("community_practice_hide", args=[practice.pk]), {"reason": "Нарушены авторские права"})
    assert Practice.objects.get(pk=practice.pk).hidden_reason == "Нарушены авторские права"
    client.force_login(_user(members[1]))
    assert "Спорный материал" not in client.get(reverse("community_bank", args=[season.pk])).content.decode()
    assert client.get(reverse("community_practice_file", args=[practice.pk])).status_code == 404


def test_member_cannot_hide(client, world):
    _season, community, members, *_rest = world
    practice = _practice(community, members[0])
    client.force_login(_user(members[1]))
    response = client.post(reverse("community_practice_hide", args=[practice.pk]), {"reason": "Не нравится"})
    assert response.status_code == 403


# --- Reports and meetings on the page --------------------------------------------------------------------------------


def test_leader_submits_and_coordinator_accepts_on_the_page(client, world):
    season, community, members, *_rest = world
    report = CommunityReport.objects.create(community=community, year=2024, half=2, due_on="2024-12-25")
    client.force_login(_user(members[1]))
    response = client.post(reverse("community_report_submit", args=[report.pk]), {"text": "Отчёт"})
    assert response.status_code == 403
    client.force_login(_user(members[0]))
    empty = client.post(reverse("community_report_submit", args=[report.pk]), {"text": ""})
    assert empty.status_code == 400 and "Напишите текст отчёта" in empty.content.decode()
    client.post(reverse("community_report_submit", args=[report.pk]), {"text": "Провели 4 встречи"})
    client.force_login(coordinator_of(season))
    client.post(reverse("community_report_accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.submitted_at and report.accepted_at


def test_leader_schedules_a_meeting_in_the_season_time_zone(client, world):
    _season, community, members, *_rest = world
    client.force_login(_user(members[0]))
    response = client.post(
        reverse("community_meeting_new", args=[community.pk]),
        {"title": "Встреча", "starts_at": "2024-10-15T16:00", "ends_at": "2024-10-15T18:00"},
    )
    assert response.status_code == 302
    community.refresh_from_db()
    session = community.meetings_activity.sessions.get()
    assert timezone.localtime(session.starts_at, community.season.tz).hour == 16
    assert session.invited.count() == 5


# --- Constant queries --------------------------------------------------------------------------------------------------


def _grow(n, season):
    for i in range(n):
        community, members = community_with(season, 5, name=f"Сообщество {i}")
        practice = _practice(community, members[0], title=f"Практика {i}")
        from projects.services_communities import practice_rate

        practice_rate(practice=practice, score=5, by=_user(members[1]))
        now = timezone.now()
        meeting = community_meeting_schedule(
            community=community,
            starts_at=now - timedelta(days=1),
            ends_at=now - timedelta(hours=22),
            by=_user(members[0]),
        )
        Attendance.objects.create(session=meeting, enrollment=members[2].enrollment, status="present")
    return members


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["community_list", "community_bank", "community_board"])
def test_queries_do_not_grow_with_the_rows(client, page):
    counts = []
    for n in (1, 3):
        season = season_of(MunicipalityFactory(name=f"Район {n}"), slug=f"prk-{n}")
        members = _grow(n, season)
        client.force_login(_user(members[3]))
        counts.append(_count(client, reverse(page, args=[season.pk])))
    assert counts[0] == counts[1]


def test_community_page_queries_do_not_grow(client):
    counts = []
    for n in (1, 3):
        season = season_of(MunicipalityFactory(name=f"Район {n}"), slug=f"prk-{n}")
        community, members = community_with(season, 5 + n)
        for i in range(n):
            _practice(community, members[i], title=f"Практика {i}")
            now = timezone.now()
            community_meeting_schedule(
                community=community,
                starts_at=now + timedelta(days=i + 1),
                ends_at=now + timedelta(days=i + 1, hours=1),
                by=_user(members[0]),
            )
        client.force_login(_user(members[0]))
        counts.append(_count(client, reverse("community_detail", args=[community.pk])))
    assert counts[0] == counts[1]
