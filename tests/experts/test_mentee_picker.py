"""The mentee picker of the coordinator's pair form: only the season's active participants are offered, each with
its status; a withdrawn, excluded or not yet approved participant posted anyway is refused in Russian."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole, MentoringPair
from participants.models import Enrollment, User
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD = "admin:experts_mentoringpair_add"


def _coordinator(municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["experts", "participants"]))
    return user


@pytest.fixture
def season():
    return SeasonFactory()


@pytest.fixture
def coordinator_client(client, season):
    client.force_login(_coordinator(season.program.municipality))
    return client


def _ids(response) -> set[int]:
    assert response.status_code == 200
    return {int(r["id"]) for r in response.json()["results"]}


def test_the_picker_offers_the_seasons_active_participants_with_their_status(coordinator_client, season):
    active = EnrollmentFactory(season=season, person__last_name="Действующая")
    others = [
        EnrollmentFactory(season=season, status=status)
        for status in (Enrollment.Status.WITHDRAWN, Enrollment.Status.EXCLUDED, Enrollment.Status.APPLIED)
    ]
    elsewhere = EnrollmentFactory(season=SeasonFactory(program=season.program))
    foreign = EnrollmentFactory()  # another municipality
    params = {"app_label": "experts", "model_name": "mentoringpair", "field_name": "mentee", "term": ""}
    in_season = coordinator_client.get(reverse("admin:experts_mentoringpair_season_mentees", args=[season.pk]), params)
    assert _ids(in_season) == {active.pk}
    [row] = in_season.json()["results"]
    assert row["text"].startswith(active.person.full_name) and "(Участвует)" in row["text"]
    anywhere = coordinator_client.get(reverse("admin:experts_mentoringpair_mentees"), params)
    assert _ids(anywhere) == {active.pk, elsewhere.pk}
    assert not _ids(anywhere) & {e.pk for e in [*others, foreign]}


def test_the_add_page_for_a_season_points_the_picker_at_that_season(coordinator_client, season):
    page = coordinator_client.get(reverse(ADD), {"season": season.pk}).content.decode()
    assert reverse("admin:experts_mentoringpair_season_mentees", args=[season.pk]) in page
    for junk in ("²", "9" * 40, "-1"):
        assert coordinator_client.get(reverse(ADD), {"season": junk}).status_code == 200


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Enrollment.Status.WITHDRAWN, "Вышел добровольно"),
        (Enrollment.Status.EXCLUDED, "Исключён"),
        (Enrollment.Status.APPLIED, "Заявка подана"),
    ],
)
def test_a_posted_mentee_who_is_not_active_is_refused_in_russian(coordinator_client, season, status, label):
    mentor = ExpertAssignmentFactory(season=season, role=ExpertRole.MENTOR)
    mentee = EnrollmentFactory(season=season, status=status)
    data = {
        "season": season.pk,
        "mentor": mentor.pk,
        "mentee": mentee.pk,
        "goals": "Цели-маркер",
        "started_on": timezone.localdate().isoformat(),
    }
    response = coordinator_client.post(reverse(ADD), data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["mentee"])
    assert "только действующий участник" in errors and label in errors
    assert "Цели-маркер" in response.content.decode()
    assert not MentoringPair.objects.exists()
