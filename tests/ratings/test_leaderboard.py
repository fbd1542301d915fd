from decimal import Decimal

import pytest
from django.urls import reverse

from participants.models import Consent, Enrollment
from participants.services import consent_set
from ratings.services import rating_recompute
from tests.factories import EnrollmentFactory, MunicipalityFactory, SeasonFactory, UserFactory

from .achievement_helpers import AchievementFactory, coordinator_of, expert_of

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)


def _url(season):
    return reverse("season_leaderboard", args=[season.program.slug, season.pk])


def _ranked(season, n, *, consent=()):
    """n participants with n, n-1, … confirmed municipal achievements (1 point each)."""
    enrollments = []
    for i in range(n):
        enrollment = EnrollmentFactory(season=season)
        for _ in range(n - i):
            AchievementFactory(enrollment=enrollment, status="confirmed")
        if i in consent:
            consent_set(person=enrollment.person, kind=Consent.Kind.RATING_PUBLICATION, given=True)
        enrollments.append(enrollment)
    rating_recompute(season=season)
    return enrollments


@pytest.fixture
def season():
    return SeasonFactory(weight_achievement_municipal=Decimal("1"))


def test_url_shape(season):
    assert _url(season) == f"/programs/{season.program.slug}/seasons/{season.pk}/rating/"


def test_names_only_with_consent_in_force(client, season):
    first, second, third = _ranked(season, 3, consent=(0, 2))
    consent_set(person=third.person, kind=Consent.Kind.RATING_PUBLICATION, given=False)
    _login(client, second.person.user)
    page = client.get(_url(season)).content.decode()
    html = page[page.index("<table") : page.index("</table>")]
    assert first.person.last_name in html
    assert second.person.last_name not in html and f"Участник №{second.pk}" in html
    assert third.person.last_name not in html and f"Участник №{third.pk}" in html
    assert "Ваше место: <strong>2</strong>" in page


def test_participant_number_is_stable(client, season):
    first, second = _ranked(season, 2)
    _login(client, first.person.user)
    before = client.get(_url(season)).content.decode()
    AchievementFactory.create_batch(5, enrollment=second, status="confirmed")
    rating_recompute(season=season)
    after = client.get(_url(season)).content.decode()
    assert f"Участник №{second.pk}" in before and f"Участник №{second.pk}" in after
    assert after.index(f"Участник №{second.pk}") < after.index(f"Участник №{first.pk}")


def test_expert_and_coordinator_of_the_season_see_it(client, season):
    _ranked(season, 1)
    _login(client, expert_of(season).person.user)
    assert client.get(_url(season)).status_code == 200
    _login(client, coordinator_of(season))
    assert client.get(_url(season)).status_code == 200


def test_others_get_404_and_anonymous_goes_to_login(client, season):
    _ranked(season, 1)
    response = client.get(_url(season))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for user in (
        EnrollmentFactory().person.user,  # a teacher of another season
        EnrollmentFactory(season=season, status=Enrollment.Status.APPLIED).person.user,
        expert_of(SeasonFactory()).person.user,
        UserFactory(is_staff=True, role="coordinator", municipality=MunicipalityFactory()),
    ):
        _login(client, user)
        assert client.get(_url(season)).status_code == 404


def test_wrong_program_slug_is_404(client, season):
    (me,) = _ranked(season, 1)
    _login(client, me.person.user)
    other = SeasonFactory()
    assert client.get(reverse("season_leaderboard", args=[other.program.slug, season.pk])).status_code == 404


def test_top_100_in_pages_of_25(client, season):
    viewer = EnrollmentFactory(season=season)
    # People without accounts: hashing 102 passwords would only slow the test down.
    enrollments = [viewer] + [EnrollmentFactory(season=season, person__user=None) for _ in range(101)]
    rating_recompute(season=season)  # everyone 0 points: all share place 1, ordered by enrollment
    _login(client, viewer.person.user)
    assert 'aria-current="page">4<' in client.get(_url(season) + "?page=4").content.decode()
    assert client.get(_url(season) + "?page=5").content.decode().count("<tr") == 1 + 25  # the last page again
    fourth = client.get(_url(season) + "?page=4").content.decode()
    assert f"Участник №{enrollments[99].pk}<" in fourth
    assert f"Участник №{enrollments[100].pk}<" not in fourth


@pytest.mark.parametrize("count", [1, 3])
def test_query_count(client, django_assert_num_queries, season, count):
    enrollments = _ranked(season, count, consent=(0,))
    _login(client, enrollments[-1].person.user)
    # Session, user with the person (reused by the header), season, my enrollment, count, page rows, my rating.
    with django_assert_num_queries(7):
        response = client.get(_url(season))
    assert response.content.decode().count("<tr") == 1 + count
